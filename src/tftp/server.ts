/**
 * The TFTP listener: read requests on the well-known port start a Transfer on a fresh socket; write
 * requests get error 2, unknown names error 1, refused options error 8. Malformed packets are counted,
 * answered with error 4 where there is someone to answer, and dropped.
 */
import { readFileSync } from 'node:fs';
import { type RemoteInfo, type Socket, createSocket } from 'node:dgram';
import type { EventBus } from '../events/index.js';
import { bindError, errorMessage } from '../util/errors.js';
import { TFTP_ERROR, decodeTftp, encodeError, type TftpPacket } from './codec.js';
import type { ServedFiles } from './files.js';
import { negotiate, type TransferLimits } from './negotiate.js';
import { Transfer, type TransferOutcome } from './transfer.js';
import { RateLimit, emptyTftpStats, type TftpStats } from './stats.js';

export interface TftpListenerOptions {
  port: number;
  events: EventBus;
  files: ServedFiles;
  limits: TransferLimits;
  retries: number;
  /** Transfers at once; more are refused with "busy" (default 1024). */
  maxTransfers?: number;
  /** Progress events per transfer at most this often (default 250 ms). */
  progressEveryMs?: number;
}

export class TftpListener {
  private sock: Socket | undefined;
  private readonly active = new Map<string, Transfer>();
  private readonly counters: TftpStats = emptyTftpStats();
  private readonly dropEvents = new RateLimit(5);

  constructor(private readonly opts: TftpListenerOptions) {}

  start(): Promise<void> {
    const sock = createSocket({ type: 'udp4' });
    return new Promise((resolve, reject) => {
      sock.once('error', (e) => {
        sock.close();
        reject(bindError('TFTP', this.opts.port, e));
      });
      sock.bind({ port: this.opts.port, address: '0.0.0.0', exclusive: true }, () => {
        sock.removeAllListeners('error');
        sock.on('error', (e) => this.drop('0.0.0.0', `socket error: ${errorMessage(e)}`));
        sock.on('message', (msg, rinfo) => void this.onMessage(msg, rinfo));
        this.sock = sock;
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    for (const t of this.active.values()) t.abort('server shutting down');
    this.active.clear();
    const sock = this.sock;
    this.sock = undefined;
    if (sock) await new Promise<void>((res) => sock.close(() => res()));
  }

  stats(): TftpStats {
    const s = structuredClone(this.counters);
    s.transfers.active = this.active.size;
    return s;
  }

  private async onMessage(msg: Buffer, rinfo: RemoteInfo): Promise<void> {
    this.counters.received++;
    const d = decodeTftp(msg);
    if (!d.ok) {
      this.reply(rinfo, TFTP_ERROR.illegalOperation, `malformed request: ${d.reason}`);
      return this.drop(rinfo.address, d.reason);
    }
    const p = d.packet;
    if (p.op === 'WRQ') {
      this.counters.requests.WRQ++;
      this.reply(rinfo, TFTP_ERROR.accessViolation, 'Metalbox TFTP is read-only');
      return this.drop(rinfo.address, `write request for ${p.file} refused`);
    }
    if (p.op !== 'RRQ') return this.drop(rinfo.address, `${p.op} sent to the request port`);
    this.counters.requests.RRQ++;
    await this.onRead(p, rinfo);
  }

  private async onRead(p: Extract<TftpPacket, { op: 'RRQ' }>, rinfo: RemoteInfo): Promise<void> {
    const key = `${rinfo.address}:${rinfo.port}`;
    if (this.active.has(key)) return; // a retransmitted request: the transfer already answers it
    if (p.mode !== 'octet' && p.mode !== 'netascii') {
      return this.reply(rinfo, TFTP_ERROR.illegalOperation, `transfer mode ${p.mode} is not supported (use octet)`);
    }
    if (this.active.size >= (this.opts.maxTransfers ?? 1024)) {
      return this.reply(rinfo, TFTP_ERROR.notDefined, 'server busy, try again');
    }
    const file = await this.opts.files.read(p.file, p.mode === 'netascii' ? 'netascii' : 'octet');
    if (!file.ok) {
      this.reply(rinfo, TFTP_ERROR.fileNotFound, 'file not found');
      return this.failEvent(rinfo, p.file, file.reason);
    }
    const n = negotiate(p.options, this.opts.limits, file.data.length);
    if (!n.ok) {
      this.reply(rinfo, TFTP_ERROR.optionRefused, n.message);
      return this.failEvent(rinfo, p.file, n.message);
    }
    if (this.active.has(key) || !this.sock) return;
    const peer = { address: rinfo.address, port: rinfo.port };
    const progress = this.progressReporter(peer.address, p.file, file.data.length);
    const t = new Transfer(
      { peer, data: file.data, blksize: n.blksize, windowsize: n.windowsize, timeoutMs: n.timeoutMs, retries: this.opts.retries, oack: n.oack },
      {
        onData: progress.start,
        onProgress: progress.step,
        onSent: (bytes) => {
          this.counters.bytesSent += bytes;
        },
        onStray: (from, reason) => this.drop(from.address, reason),
        onEnd: (outcome) => {
          this.active.delete(key);
          progress.end(outcome);
        },
      },
    );
    this.active.set(key, t);
    try {
      await t.start();
    } catch (e) {
      this.active.delete(key);
      progress.end({ ok: false, error: `no socket for the transfer: ${errorMessage(e)}` });
    }
  }

  /**
   * Start, throttled progress and end events of one transfer. A transfer the client drops after the
   * OACK, before any DATA (EDK2 asks for tsize first, then aborts), is a size query: counted, no events.
   */
  private progressReporter(peer: string, file: string, total: number) {
    const every = this.opts.progressEveryMs ?? 250;
    const mac = macOf(peer);
    const base = { type: 'tftp.transfer' as const, peer, file, total, ...(mac ? { mac } : {}) };
    let last = 0;
    let started = false;
    return {
      start: () => {
        started = true;
        last = Date.now();
        this.counters.transfers.started++;
        this.opts.events.emit({ ...base, phase: 'start', bytes: 0 });
      },
      step: (bytes: number) => {
        const now = Date.now();
        if (now - last < every || bytes >= total) return;
        last = now;
        this.opts.events.emit({ ...base, phase: 'progress', bytes });
      },
      end: (o: TransferOutcome) => {
        if (!started && !o.ok && o.clientAborted) {
          this.counters.sizeQueries++;
          return;
        }
        if (o.ok) this.counters.transfers.completed++;
        else this.counters.transfers.failed++;
        this.opts.events.emit(o.ok ? { ...base, phase: 'done', bytes: total } : { ...base, phase: 'error', bytes: 0, error: o.error });
      },
    };
  }

  private failEvent(rinfo: RemoteInfo, file: string, error: string): void {
    const mac = macOf(rinfo.address);
    this.opts.events.emit({ type: 'tftp.transfer', peer: rinfo.address, file, phase: 'error', bytes: 0, error, ...(mac ? { mac } : {}) });
  }

  private reply(to: RemoteInfo, code: number, message: string): void {
    this.counters.errorsSent++;
    this.sock?.send(encodeError(code, message), to.port, to.address, () => undefined);
  }

  private drop(from: string, reason: string): void {
    this.counters.dropped++;
    if (this.dropEvents.allow()) this.opts.events.emit({ type: 'tftp.dropped', from, reason });
  }
}

/** The MAC the kernel's neighbour table holds for an IPv4 peer (so the boot timeline can find it). */
export function macOf(ip: string): string | undefined {
  try {
    for (const line of readFileSync('/proc/net/arp', 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[0] === ip && f[3] && f[3] !== '00:00:00:00:00:00') return f[3].toLowerCase();
    }
  } catch {
    // not Linux
  }
  return undefined;
}
