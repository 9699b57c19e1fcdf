/**
 * Talos's kernel log receiver (`talos.logging.kernel=tcp://<address>:<port>`): TCP, one JSON object per
 * line (kmsg.ts). Each connection is mapped to a Server by its address; every message becomes a
 * `talos.log` event on that server's page, at most `perSecond` a second per server (and `allPerSecond`
 * in all), the rest dropped with a "N lines dropped" line. Nothing is kept but each connection's
 * unfinished line (at most 64 KiB) and a per-server counter. Lines from unknown addresses, lines that are
 * not Talos's JSON, and lines over 64 KiB are counted and dropped.
 */
import { createServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import type { Settings } from '../config/index.js';
import type { EventBus } from '../events/index.js';
import { bindError } from '../util/errors.js';
import { ConnectionGate, DEFAULT_LIMITS, DropTeller, type GateLimits } from './guard.js';
import { LineSplitter, logLineText, parseKmsgLine } from './kmsg.js';
import type { PeerDirectory } from './peers.js';
import { LineBudget } from './rate.js';

/** Lines a second one server may put on the event bus. */
export const LINES_PER_SECOND = 50;
/** Lines a second all servers together may put on the event bus. */
export const ALL_LINES_PER_SECOND = 500;
/** How often an unknown connection's address is looked up again (the store may learn it meanwhile). */
const RELOOK_MS = 2000;

export interface KernelLogOptions {
  settings: Settings;
  events: EventBus;
  peers: PeerDirectory;
  host?: string;
  /** Port; default settings.talos.kernelLogPort (0 picks a free one, for tests). */
  port?: number;
  perSecond?: number;
  allPerSecond?: number;
  limits?: Partial<GateLimits>;
  /** Clock for the rate limit (tests). */
  now?: () => number;
}

export interface KernelLogStats {
  lines: number;
  shown: number;
  /** Over the per-server or overall budget. */
  rateDropped: number;
  malformed: number;
  oversized: number;
  unknownPeer: number;
  connections: number;
  refusedConnections: number;
}

interface Conn {
  address: string;
  server: string | undefined;
  lookedAt: number;
  splitter: LineSplitter;
}

export class KernelLogReceiver {
  readonly name = 'kernel-log' as const;
  private listener: NetServer | undefined;
  private listening = 0;
  private sweeper: NodeJS.Timeout | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly gate: ConnectionGate;
  private readonly teller: DropTeller;
  private readonly budget: LineBudget;
  private readonly overall: LineBudget;
  private readonly now: () => number;
  private readonly counts = { lines: 0, shown: 0, malformed: 0, oversized: 0, unknownPeer: 0 };

  constructor(private readonly o: KernelLogOptions) {
    this.now = o.now ?? Date.now;
    this.gate = new ConnectionGate({ ...DEFAULT_LIMITS, ...o.limits });
    this.teller = new DropTeller(o.events);
    this.budget = new LineBudget(o.perSecond ?? LINES_PER_SECOND, this.now);
    this.overall = new LineBudget(o.allPerSecond ?? ALL_LINES_PER_SECOND, this.now);
  }

  async start(): Promise<void> {
    if (this.listener) return;
    const listener = createServer({ noDelay: true }, (s) => this.accept(s));
    const port = this.o.port ?? this.o.settings.talos.kernelLogPort;
    await new Promise<void>((resolve, reject) => {
      listener.once('error', (e) => reject(bindError('Talos kernel log receiver', port, e)));
      listener.listen(port, this.o.host ?? '0.0.0.0', () => resolve());
    });
    listener.on('error', () => undefined);
    this.o.peers.start();
    this.listening = (listener.address() as AddressInfo).port;
    this.listener = listener;
    this.sweeper = setInterval(() => this.sweep(), 1000);
    this.sweeper.unref();
  }

  async stop(): Promise<void> {
    const listener = this.listener;
    if (!listener) return;
    this.listener = undefined;
    clearInterval(this.sweeper);
    await new Promise<void>((resolve) => {
      listener.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
    this.sweep();
    this.o.peers.stop();
    this.listening = 0;
  }

  describe(): string {
    return `port ${this.listening}`;
  }

  port(): number {
    return this.listening;
  }

  stats(): KernelLogStats {
    return { ...this.counts, rateDropped: this.budget.droppedTotal + this.overall.droppedTotal, connections: this.gate.open, refusedConnections: this.gate.refused };
  }

  private accept(s: Socket): void {
    const address = this.gate.admit(s);
    if (address === undefined) return;
    this.sockets.add(s);
    s.once('close', () => this.sockets.delete(s));
    const c: Conn = { address, server: this.o.peers.lookup(address), lookedAt: this.now(), splitter: new LineSplitter() };
    s.on('data', (chunk: Buffer) => this.receive(c, chunk));
  }

  private receive(c: Conn, chunk: Buffer): void {
    const before = c.splitter.oversized;
    const lines = c.splitter.push(chunk);
    if (c.splitter.oversized > before) {
      this.counts.oversized += c.splitter.oversized - before;
      this.teller.tell(c.address, 'log-oversized', 'kernel log line longer than 64 KiB');
    }
    if (!lines.length) return;
    this.counts.lines += lines.length;
    if (!c.server && this.now() - c.lookedAt >= RELOOK_MS) {
      c.server = this.o.peers.lookup(c.address);
      c.lookedAt = this.now();
    }
    if (!c.server) {
      this.counts.unknownPeer += lines.length;
      this.teller.tell(c.address, 'log-unknown', 'kernel log from an address that is no known server (ignored)');
      return;
    }
    for (const line of lines) this.line(c, c.server, line);
  }

  private line(c: Conn, server: string, line: string): void {
    const parsed = parseKmsgLine(line);
    if (!parsed.ok) {
      this.counts.malformed++;
      this.teller.tell(c.address, 'log-malformed', `kernel log line is ${parsed.reason}`);
      return;
    }
    const text = logLineText(parsed.record);
    if (!text) return;
    const mine = this.budget.take(server);
    if (mine.note) this.dropNote(server, mine.note.dropped);
    if (!mine.ok || !this.overall.take('*').ok) return;
    this.counts.shown++;
    this.o.events.emit({ type: 'talos.log', server, line: text });
  }

  private dropNote(server: string, dropped: number): void {
    this.o.events.emit({ type: 'talos.log', server, line: `… ${dropped} kernel log line${dropped === 1 ? '' : 's'} dropped (more than ${this.budget.perSecond} a second)` });
  }

  private sweep(): void {
    for (const n of this.budget.sweep()) this.dropNote(n.key, n.dropped);
    this.overall.sweep();
  }
}
