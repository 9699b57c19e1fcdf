/**
 * The BMC's TLS certificate, checked by pinning: BMCs ship self-signed certificates, so a CA check would
 * refuse them all. The SHA-256 fingerprint of the BMC's certificate is pinned on first use (and recorded
 * on the Server), or given by the operator; a different certificate later is refused before any request,
 * so the password never reaches an impostor. The operator may turn checking off explicitly.
 */
import type { TLSSocket } from 'node:tls';
import type { Agent } from 'undici';

/** undici, loaded when the first Redfish request is made (no cost at start for racks without Redfish). */
let undici: Promise<typeof import('undici')> | undefined;
const loadUndici = () => (undici ??= import('undici'));

export type TlsPolicy =
  /** Refuse any certificate but this one (SHA-256 fingerprint, `AB:CD:…` or plain hex). */
  | { mode: 'pinned'; fingerprint: string }
  /** Accept the first certificate seen, then only that one. */
  | { mode: 'trust-on-first-use' }
  /** No check at all: the operator said so. */
  | { mode: 'insecure' };

/** `AB:CD:…` uppercase, the form Node prints and `openssl x509 -fingerprint -sha256` prints. */
export function normalizeFingerprint(fp: string): string {
  const hex = fp.replace(/^sha256[:=]/i, '').replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  if (hex.length !== 64) throw new Error(`not a SHA-256 fingerprint: ${JSON.stringify(fp)}`);
  return hex.match(/../g)!.join(':');
}

export class CertificateMismatch extends Error {
  constructor(
    readonly expected: string,
    readonly presented: string,
  ) {
    super(`the certificate presented (SHA-256 ${presented}) is not the pinned one (${expected})`);
    this.name = 'CertificateMismatch';
  }
}

/** An undici Agent (made on first use) that enforces a TlsPolicy on every new connection. */
export class PinningAgent {
  private made: Promise<Agent> | undefined;
  private pinned: string | undefined;
  /** Called once when trust-on-first-use pins a certificate. */
  onPinned: ((fingerprint: string) => void) | undefined;

  constructor(
    private readonly policy: TlsPolicy,
    private readonly connectTimeoutMs: number,
  ) {
    this.pinned = policy.mode === 'pinned' ? normalizeFingerprint(policy.fingerprint) : undefined;
  }

  /** The agent to send requests through. */
  agent(): Promise<Agent> {
    return (this.made ??= loadUndici().then((u) => this.make(u)));
  }

  private make({ Agent, buildConnector }: typeof import('undici')): Agent {
    const base = buildConnector({ rejectUnauthorized: false, maxCachedSessions: 0, timeout: this.connectTimeoutMs });
    const check = this.policy.mode !== 'insecure';
    return new Agent({
      connections: 2,
      connect: (opts, cb) =>
        base(opts, (err, socket) => {
          if (err || !socket) return cb(err ?? new Error('no socket'), null);
          if (!check) return cb(null, socket);
          const problem = this.verify(socket as TLSSocket);
          if (problem) {
            socket.destroy();
            return cb(problem, null);
          }
          cb(null, socket);
        }),
    });
  }

  /** The fingerprint in force: the given pin, or the one learnt on first use. */
  get fingerprint(): string | undefined {
    return this.pinned;
  }

  private verify(socket: TLSSocket): Error | undefined {
    const raw = socket.getPeerCertificate?.()?.fingerprint256;
    if (!raw) return new Error('the BMC presented no certificate');
    const presented = normalizeFingerprint(raw);
    if (this.pinned === undefined) {
      this.pinned = presented;
      this.onPinned?.(presented);
      return undefined;
    }
    return presented === this.pinned ? undefined : new CertificateMismatch(this.pinned, presented);
  }

  async close(): Promise<void> {
    if (this.made) await (await this.made).close();
  }
}
