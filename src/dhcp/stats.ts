import type { DhcpMessageName } from '../events/index.js';

/** Counters of a DHCP service since it started. */
export interface DhcpStats {
  /** Datagrams received on the DHCP and PXE ports. */
  received: number;
  /** Requests answered (one per reply sent). */
  answered: number;
  /** Valid requests deliberately not answered: not a boot client (proxy), for another server, ... */
  ignored: number;
  /** Malformed packets and requests from another network: counted and dropped. */
  dropped: number;
  /** Requests received, by DHCP message type. */
  requests: Partial<Record<DhcpMessageName, number>>;
  /** Replies sent, by DHCP message type. */
  replies: Partial<Record<DhcpMessageName, number>>;
  /** Active leases (full mode). */
  leases: number;
}

export function emptyDhcpStats(): DhcpStats {
  return { received: 0, answered: 0, ignored: 0, dropped: 0, requests: {}, replies: {}, leases: 0 };
}

export function countType(into: Partial<Record<DhcpMessageName, number>>, t: DhcpMessageName): void {
  into[t] = (into[t] ?? 0) + 1;
}

/**
 * At most `perSecond` events of a noisy kind (dropped packets) per second; the rest are only counted.
 * A flood of garbage must not flood the console and the audit log.
 */
export class EventRateLimit {
  private windowStart = 0;
  private inWindow = 0;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  allow(): boolean {
    const t = this.now();
    if (t - this.windowStart >= 1000) {
      this.windowStart = t;
      this.inWindow = 0;
    }
    return ++this.inWindow <= this.perSecond;
  }
}
