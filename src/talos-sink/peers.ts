/**
 * Who is talking: the network address of a Talos connection, mapped to the Server it belongs to. The
 * addresses come from the store and follow it through its watch:
 *   - the address that fetched the install script, which the boot token records (the only address that
 *     can fetch /configdata, so the Talos installing is there);
 *   - the ServerBinding's spec.addresses (Talos's own AddressEvent);
 *   - the Server's status.addresses (the same, kept after the binding goes).
 * When two servers claim one address the stronger source wins, in that order. A lookup is one map read.
 */
import { isIP } from 'node:net';
import { annotations, type Server, type ServerBinding } from '../api/index.js';
import { parseTokenRecord } from '../boot/index.js';
import type { Store, WatchEvent } from '../store/index.js';

/** How much a source is trusted to name the machine at an address. */
const RANK = { token: 3, binding: 2, status: 1 } as const;

interface Claim {
  server: string;
  rank: number;
}

/** `::ffff:10.0.0.5` -> `10.0.0.5`; IPv6 in lower case; anything else unchanged. */
export function plainAddress(a: string): string {
  const s = a.trim().toLowerCase();
  return s.startsWith('::ffff:') && s.includes('.') ? s.slice(7) : s;
}

/** The address of a gRPC peer string (`10.0.0.5:51234`, `[fd00::5]:51234`, `::ffff:10.0.0.5:51234`). */
export function addressOfPeer(peer: string): string {
  let host = peer.replace(/^ipv[46]:/, '');
  if (host.startsWith('[')) host = host.slice(1, host.indexOf(']') > 0 ? host.indexOf(']') : undefined);
  else if (isIP(host) === 0 && host.includes(':')) host = host.slice(0, host.lastIndexOf(':'));
  return plainAddress(host);
}

function serverClaims(s: Server): [string, number][] {
  const out: [string, number][] = [];
  const token = parseTokenRecord(s.metadata.annotations?.[annotations.BOOT_TOKEN]);
  if (token) out.push([token.peer, RANK.token]);
  for (const a of s.status?.addresses ?? []) if (a.type === 'InternalIP' || a.type === 'ExternalIP') out.push([a.address, RANK.status]);
  return out;
}

function bindingClaims(b: ServerBinding): [string, number][] {
  return (b.spec?.addresses ?? []).map((a) => [a, RANK.binding]);
}

export class PeerDirectory {
  /** address -> source (`Server/<name>`, `ServerBinding/<name>`) -> claim. */
  private readonly claims = new Map<string, Map<string, Claim>>();
  /** source -> the addresses it claims now. */
  private readonly bySource = new Map<string, string[]>();
  private unwatch: (() => void) | undefined;
  private users = 0;

  constructor(private readonly store: Store) {}

  /** Index the store and follow it; each start needs a stop (the two receivers share one directory). */
  start(): void {
    if (this.users++ > 0) return;
    this.unwatch = this.store.watch((e) => this.onChange(e), { kinds: ['Server', 'ServerBinding'] });
    for (const s of this.store.list<Server>('Server')) this.index(s);
    for (const b of this.store.list<ServerBinding>('ServerBinding')) this.index(b);
  }

  stop(): void {
    if (this.users === 0 || --this.users > 0) return;
    this.unwatch?.();
    this.unwatch = undefined;
    this.claims.clear();
    this.bySource.clear();
  }

  /** The Server at this address, if one is known. */
  lookup(address: string): string | undefined {
    const claims = this.claims.get(plainAddress(address));
    if (!claims) return undefined;
    let best: Claim | undefined;
    for (const c of claims.values()) if (!best || c.rank > best.rank) best = c;
    return best?.server;
  }

  /** How many addresses are known (for the service line). */
  get size(): number {
    return this.claims.size;
  }

  private onChange(e: WatchEvent): void {
    if (e.type === 'DELETED') this.forget(`${e.object.kind}/${e.object.metadata.name}`);
    else this.index(e.object as Server | ServerBinding);
  }

  private index(o: Server | ServerBinding): void {
    const source = `${o.kind}/${o.metadata.name}`;
    const pairs = o.kind === 'Server' ? serverClaims(o) : bindingClaims(o);
    this.forget(source);
    const addresses: string[] = [];
    for (const [raw, rank] of pairs) {
      const address = plainAddress(raw);
      if (isIP(address) === 0) continue;
      let m = this.claims.get(address);
      if (!m) this.claims.set(address, (m = new Map()));
      const prev = m.get(source);
      if (!prev || prev.rank < rank) m.set(source, { server: o.metadata.name, rank });
      addresses.push(address);
    }
    if (addresses.length) this.bySource.set(source, addresses);
  }

  private forget(source: string): void {
    for (const address of this.bySource.get(source) ?? []) {
      const m = this.claims.get(address);
      m?.delete(source);
      if (m && m.size === 0) this.claims.delete(address);
    }
    this.bySource.delete(source);
  }
}
