import { AuditLog, type AuditLogOptions } from './audit-log.js';
import { subjectKeys } from './format.js';
import { Ring } from './ring.js';
import type { EventRecord, MetalboxEvent } from './types.js';

export interface EventBusOptions {
  /** How many events the bus keeps in memory for the console's events view. */
  recent?: number;
  /** How many events each server's timeline keeps. */
  perServer?: number;
  /** Where the JSON-lines audit log goes; omit for none (tests, one-shot CLI commands). */
  audit?: AuditLogOptions;
}

export type EventListener = (record: EventRecord) => void;

/**
 * The appliance's event bus: every room emits typed events here; the console, the log file and the
 * per-server boot timelines read them. Listeners run synchronously and must be cheap.
 */
export class EventBus {
  private seq = 0;
  private readonly recentRing: Ring<EventRecord>;
  private readonly perServer = new Map<string, Ring<EventRecord>>();
  private readonly perServerCapacity: number;
  private readonly listeners = new Set<EventListener>();
  private readonly audit: AuditLog | undefined;

  constructor(opts: EventBusOptions = {}) {
    this.recentRing = new Ring(opts.recent ?? 2000);
    this.perServerCapacity = opts.perServer ?? 200;
    this.audit = opts.audit ? new AuditLog(opts.audit) : undefined;
  }

  emit(event: MetalboxEvent): EventRecord {
    const record: EventRecord = { seq: ++this.seq, time: new Date().toISOString(), event };
    this.recentRing.push(record);
    for (const key of subjectKeys(event)) {
      let ring = this.perServer.get(key);
      if (!ring) {
        ring = new Ring(this.perServerCapacity);
        this.perServer.set(key, ring);
      }
      ring.push(record);
    }
    this.audit?.append(record);
    for (const l of this.listeners) {
      try {
        l(record);
      } catch (e) {
        process.emitWarning(`metalbox: event listener failed: ${(e as Error).message}`);
      }
    }
    return record;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The newest `n` events, oldest first. */
  recent(n = 200): EventRecord[] {
    return this.recentRing.last(n);
  }

  /**
   * A server's timeline: its own events, its kernel log lines and the events of its MACs (DHCP and TFTP
   * know only the MAC), merged in order.
   */
  timeline(server: string, macs: string[] = []): EventRecord[] {
    const keys = [server, `log:${server}`, ...macs.map((m) => `mac:${m.toLowerCase()}`)];
    const seen = new Set<number>();
    const out: EventRecord[] = [];
    for (const k of keys) {
      for (const r of this.perServer.get(k)?.toArray() ?? []) {
        if (!seen.has(r.seq)) {
          seen.add(r.seq);
          out.push(r);
        }
      }
    }
    return out.sort((a, b) => a.seq - b.seq);
  }

  close(): void {
    this.audit?.close();
    this.listeners.clear();
  }
}
