/**
 * Boot tokens: what keeps `/configdata` from handing a cluster's secrets to anyone who knows a UUID.
 *
 * A token is minted when an install script is served: 256 random bits (base64url), given only to that
 * machine in its `talos.config=` URL. The Server keeps only its SHA-256, the expiry and the address that
 * fetched the script (annotation `metalbox.dev/boot-token`). `/configdata` answers only when the token
 * hashes to the stored hash, has not expired, the server is not installed yet, the request comes from
 * that address and, where the kernel's neighbour table knows the requester's MAC, that MAC is one of the
 * Server's. Every refusal has a reason for the audit log; the requester learns nothing.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

export interface TokenRecord {
  /** Hex SHA-256 of the token. */
  sha256: string;
  /** ISO time after which the token is refused. */
  expires: string;
  /** The address that fetched the install script. */
  peer: string;
}

/** A freshly minted token: the secret goes to the machine, the record to the Server. */
export function mintToken(peer: string, ttlSeconds: number, now: Date = new Date()): { token: string; record: TokenRecord } {
  const token = randomBytes(32).toString('base64url');
  return { token, record: { sha256: sha256Hex(token), expires: new Date(now.getTime() + ttlSeconds * 1000).toISOString(), peer } };
}

export function sha256Hex(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** The annotation value: `sha256=<hex>;expires=<iso>;peer=<address>`. */
export function formatTokenRecord(r: TokenRecord): string {
  return `sha256=${r.sha256};expires=${r.expires};peer=${r.peer}`;
}

export function parseTokenRecord(v: string | undefined): TokenRecord | undefined {
  if (!v) return undefined;
  const m = /^sha256=([0-9a-f]{64});expires=([^;]+);peer=([^;]+)$/.exec(v);
  if (!m || Number.isNaN(Date.parse(m[2]!)) || !isIP(m[3]!)) return undefined;
  return { sha256: m[1]!, expires: m[2]!, peer: m[3]! };
}

export interface TokenCheck {
  /** The stored record (undefined when none was minted). */
  record: TokenRecord | undefined;
  /** The token presented (`t=`). */
  presented: string;
  /** The requester's address. */
  peer: string;
  /** The requester's MAC from the kernel's neighbour table, when it knows it. */
  peerMac?: string | undefined;
  /** The Server's MACs. */
  serverMacs: readonly string[];
  installed: boolean;
  now?: Date;
}

export type TokenVerdict = { ok: true } | { ok: false; reason: string };

/** Whether a `/configdata` request may have the config; the reason is for the audit log only. */
export function checkToken(c: TokenCheck): TokenVerdict {
  if (!c.presented) return { ok: false, reason: 'no token presented' };
  if (!c.record) return { ok: false, reason: 'no boot token was issued for this server' };
  const want = Buffer.from(c.record.sha256, 'hex');
  const got = createHash('sha256').update(c.presented).digest();
  if (want.length !== got.length || !timingSafeEqual(want, got)) return { ok: false, reason: 'the token does not match' };
  if ((c.now ?? new Date()).getTime() > Date.parse(c.record.expires)) return { ok: false, reason: `the token expired at ${c.record.expires}` };
  if (c.installed) return { ok: false, reason: 'the server is already installed' };
  if (c.peer !== c.record.peer) return { ok: false, reason: `request from ${c.peer}, but the token was issued to ${c.record.peer}` };
  if (c.peerMac && !c.serverMacs.includes(c.peerMac)) {
    return { ok: false, reason: `request from MAC ${c.peerMac}, which is not one of the server's (${c.serverMacs.join(', ') || 'none recorded'})` };
  }
  return { ok: true };
}
