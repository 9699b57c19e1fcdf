/**
 * What the two receivers share to stay up under bad input: a connection gate (a cap in all and per
 * sending address, and an idle timeout) and a teller that puts a dropped report in the event log once per
 * sender and kind of trouble, however often it repeats.
 */
import type { Socket } from 'node:net';
import type { EventBus } from '../events/index.js';
import { plainAddress } from './peers.js';

export interface GateLimits {
  /** Connections open at once, from everyone. */
  maxConnections: number;
  /** Connections open at once from one address (Talos keeps one per receiver). */
  maxPerAddress: number;
  /** A connection silent this long is closed (Talos reconnects when it has something to say). */
  idleMs: number;
}

export const DEFAULT_LIMITS: GateLimits = { maxConnections: 1024, maxPerAddress: 8, idleMs: 15 * 60_000 };

export class ConnectionGate {
  private readonly perAddress = new Map<string, number>();
  open = 0;
  refused = 0;

  constructor(private readonly limits: GateLimits) {}

  /** Admit a new socket (tracked until it closes), or destroy it and count it. Returns its address when admitted. */
  admit(socket: Socket): string | undefined {
    const address = plainAddress(socket.remoteAddress ?? '');
    const mine = this.perAddress.get(address) ?? 0;
    socket.on('error', () => undefined);
    if (this.open >= this.limits.maxConnections || mine >= this.limits.maxPerAddress) {
      this.refused++;
      socket.destroy();
      return undefined;
    }
    this.open++;
    this.perAddress.set(address, mine + 1);
    socket.setTimeout(this.limits.idleMs, () => socket.destroy());
    // A sender that is done (FIN) gets closed at once, whatever state its last bytes left the parser in.
    socket.once('end', () => socket.destroy());
    socket.once('close', () => {
      this.open--;
      const n = (this.perAddress.get(address) ?? 1) - 1;
      if (n <= 0) this.perAddress.delete(address);
      else this.perAddress.set(address, n);
    });
    return address;
  }
}

export class DropTeller {
  private readonly told = new Set<string>();

  constructor(
    private readonly events: EventBus,
    private readonly limit = 4096,
  ) {}

  /** Tell the event log, unless this sender was already told about for this kind of trouble. */
  tell(from: string, kind: string, reason: string): void {
    const key = `${kind}|${from}`;
    if (this.told.has(key)) return;
    if (this.told.size >= this.limit) this.told.clear();
    this.told.add(key);
    this.events.emit({ type: 'talos.dropped', from, reason });
  }
}
