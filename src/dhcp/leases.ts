/**
 * Full mode's lease table: who holds which address, what is reserved, offered or declined. Pure state with
 * an injected clock; persistence lives in lease-file.ts.
 */
import { intToIp, ipToInt } from './subnet.js';

export interface Lease {
  mac: string;
  address: string;
  /** Milliseconds since the epoch; a lease past it is expired (kept for address affinity). */
  expires: number;
  hostname?: string;
}

export interface Reservation {
  mac: string;
  address: string;
  hostname?: string;
}

export interface LeaseTableOptions {
  range: { start: string; end: string };
  reservations: readonly Reservation[];
  /** Addresses never handed out (this box's own). */
  excluded: readonly string[];
  now?: () => number;
  /** How long an OFFER holds its address for the client (default 60 s). */
  offerHoldMs?: number;
  /** How long a declined address stays out of use (default 10 min). */
  declineHoldMs?: number;
}

export type Grant = { ok: true } | { ok: false; reason: string };

export class LeaseTable {
  private readonly byMac = new Map<string, Lease>();
  private readonly byAddress = new Map<string, Lease>();
  private readonly offers = new Map<string, { mac: string; until: number }>();
  /** The address offered to each client (the index of `offers` by MAC). */
  private readonly offerOf = new Map<string, string>();
  private readonly declined = new Map<string, number>();
  private readonly reservedByMac = new Map<string, Reservation>();
  private readonly reservedByAddress = new Map<string, Reservation>();
  private readonly excluded: Set<string>;
  private readonly start: number;
  private readonly end: number;
  private cursor: number;
  readonly now: () => number;

  constructor(private readonly opts: LeaseTableOptions) {
    this.start = ipToInt(opts.range.start);
    this.end = ipToInt(opts.range.end);
    this.cursor = this.start;
    this.now = opts.now ?? Date.now;
    this.excluded = new Set(opts.excluded);
    for (const r of opts.reservations) {
      const mac = r.mac.toLowerCase();
      this.reservedByMac.set(mac, { ...r, mac });
      this.reservedByAddress.set(r.address, { ...r, mac });
    }
  }

  reservationOf(mac: string): Reservation | undefined {
    return this.reservedByMac.get(mac);
  }

  /** The client's lease, active or expired. */
  leaseOf(mac: string): Lease | undefined {
    return this.byMac.get(mac);
  }

  inRange(address: string): boolean {
    const n = ipToInt(address);
    return n >= this.start && n <= this.end;
  }

  /** Whether `mac` may hold `address` now, and why not. */
  canGrant(mac: string, address: string): Grant {
    const own = this.reservedByMac.get(mac);
    if (own && own.address !== address) return { ok: false, reason: `${mac} is reserved ${own.address}` };
    const reserved = this.reservedByAddress.get(address);
    if (reserved && reserved.mac !== mac) return { ok: false, reason: `${address} is reserved for ${reserved.mac}` };
    if (!reserved && !this.inRange(address)) return { ok: false, reason: `${address} is outside the range` };
    if (this.excluded.has(address)) return { ok: false, reason: `${address} is this server's own address` };
    const t = this.now();
    const lease = this.byAddress.get(address);
    if (lease && lease.mac !== mac && lease.expires > t) return { ok: false, reason: `${address} is leased to ${lease.mac}` };
    const offer = this.offers.get(address);
    if (offer && offer.mac !== mac && offer.until > t) return { ok: false, reason: `${address} is offered to ${offer.mac}` };
    if ((this.declined.get(address) ?? 0) > t) return { ok: false, reason: `${address} was declined as in use` };
    return { ok: true };
  }

  /**
   * The address to offer: the reservation, else the client's current or last address, else the one it
   * asks for, else the first never-used free address, else the first expired one.
   */
  chooseAddress(mac: string, requested?: string): string | undefined {
    const reserved = this.reservedByMac.get(mac);
    if (reserved) return this.canGrant(mac, reserved.address).ok ? reserved.address : undefined;
    const previous = this.byMac.get(mac)?.address;
    if (previous && this.canGrant(mac, previous).ok) return previous;
    const offered = this.offerOf.get(mac);
    if (offered && this.canGrant(mac, offered).ok) return offered;
    if (requested && this.inRange(requested) && this.canGrant(mac, requested).ok) return requested;
    return this.scanFree(mac);
  }

  /**
   * The next never-used free address after the last one handed out (wrapping), else the first expired one.
   * The cursor keeps a burst of new clients O(1) each instead of rescanning the range every time.
   */
  private scanFree(mac: string): string | undefined {
    const size = this.end - this.start + 1;
    let expired: string | undefined;
    for (let i = 0; i < size; i++) {
      const n = this.start + ((this.cursor - this.start + i) % size);
      const a = intToIp(n);
      if (!this.canGrant(mac, a).ok) continue;
      if (!this.byAddress.has(a)) {
        this.cursor = n === this.end ? this.start : n + 1;
        return a;
      }
      expired ??= a;
    }
    return expired;
  }

  /** Hold an offered address for the client for a short while. */
  hold(mac: string, address: string): void {
    this.dropOffer(mac);
    const previous = this.offers.get(address);
    if (previous) this.offerOf.delete(previous.mac);
    this.offers.set(address, { mac, until: this.now() + (this.opts.offerHoldMs ?? 60_000) });
    this.offerOf.set(mac, address);
  }

  /** The client chose another server or went away: its offer is void. */
  dropOffer(mac: string): void {
    const address = this.offerOf.get(mac);
    if (address === undefined) return;
    this.offerOf.delete(mac);
    if (this.offers.get(address)?.mac === mac) this.offers.delete(address);
  }

  commit(mac: string, address: string, seconds: number, hostname?: string): Lease {
    this.remove(mac);
    const stale = this.byAddress.get(address);
    if (stale) this.byMac.delete(stale.mac);
    this.dropOffer(mac);
    const lease: Lease = { mac, address, expires: this.now() + seconds * 1000 };
    if (hostname) lease.hostname = hostname;
    this.byMac.set(mac, lease);
    this.byAddress.set(address, lease);
    return lease;
  }

  /** RELEASE: the lease ends now; the record stays so the client gets the same address next time. */
  release(mac: string, address: string): boolean {
    const lease = this.byMac.get(mac);
    if (!lease || lease.address !== address) return false;
    lease.expires = Math.min(lease.expires, this.now());
    return true;
  }

  /** DECLINE: the address is in use by someone else; keep it out of use for a while. */
  decline(mac: string, address: string): boolean {
    const lease = this.byMac.get(mac);
    if (!lease || lease.address !== address) return false;
    this.remove(mac);
    this.declined.set(address, this.now() + (this.opts.declineHoldMs ?? 600_000));
    return true;
  }

  private remove(mac: string): void {
    const lease = this.byMac.get(mac);
    if (!lease) return;
    this.byMac.delete(mac);
    if (this.byAddress.get(lease.address) === lease) this.byAddress.delete(lease.address);
  }

  /** Active leases, oldest expiry first. */
  active(): Lease[] {
    const t = this.now();
    return [...this.byMac.values()].filter((l) => l.expires > t).sort((a, b) => a.expires - b.expires);
  }

  /** Every lease record (active and expired), for the lease file. */
  all(): Lease[] {
    return [...this.byMac.values()].map((l) => ({ ...l }));
  }

  /** Load records from the lease file; those that no longer fit the range or reservations are skipped. */
  load(leases: readonly Lease[]): { loaded: number; skipped: Lease[] } {
    const skipped: Lease[] = [];
    let loaded = 0;
    for (const l of leases) {
      const mac = l.mac.toLowerCase();
      if (this.byAddress.has(l.address) || !this.canGrant(mac, l.address).ok) {
        skipped.push(l);
        continue;
      }
      const lease: Lease = { mac, address: l.address, expires: l.expires };
      if (l.hostname) lease.hostname = l.hostname;
      this.byMac.set(mac, lease);
      this.byAddress.set(l.address, lease);
      loaded++;
    }
    return { loaded, skipped };
  }
}
