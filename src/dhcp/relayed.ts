/**
 * Proxy mode behind a relay (`ip helper-address`): the PXE client sits on another network, so its
 * follow-up REQUEST to the boot server port (4011, unicast and routed, without giaddr) comes from an
 * address outside the provisioning subnet, which the multi-homed rule would drop. A client that was just
 * answered through a relay is not "evidently from another network": it is remembered here, by MAC, for a
 * short while. Pure state with an injected clock.
 */

export interface RelayedClientsOptions {
  /** How long a client answered through a relay may come back on 4011 (default 2 min). */
  holdMs?: number;
  /** At most this many clients are remembered (default 4096); the oldest are forgotten first. */
  max?: number;
  now?: () => number;
}

export class RelayedClients {
  private readonly until = new Map<string, number>();
  private readonly holdMs: number;
  private readonly max: number;
  private readonly now: () => number;

  constructor(opts: RelayedClientsOptions = {}) {
    this.holdMs = opts.holdMs ?? 120_000;
    this.max = opts.max ?? 4096;
    this.now = opts.now ?? Date.now;
  }

  /** The client was answered through a relay just now. */
  note(mac: string): void {
    this.until.delete(mac); // re-inserted last: the map stays in expiry order
    if (this.until.size >= this.max) {
      const oldest = this.until.keys().next().value;
      if (oldest !== undefined) this.until.delete(oldest);
    }
    this.until.set(mac, this.now() + this.holdMs);
  }

  /** Whether the client was answered through a relay within the hold time. */
  has(mac: string): boolean {
    const t = this.until.get(mac);
    if (t === undefined) return false;
    if (t > this.now()) return true;
    this.until.delete(mac);
    return false;
  }
}
