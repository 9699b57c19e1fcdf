/**
 * A raw TFTP read client for tests and benchmarks: RFC 2347 options including windowsize (RFC 7440), which
 * no packaged client here speaks. It ACKs the last in-order block after each full window (or at once on a
 * gap), and re-ACKs on its own timeout, like EDK2 does.
 */
import { createSocket } from 'node:dgram';
import { decodeTftp, encodeAck, encodeError, encodeRequest } from '../../../src/tftp/index.js';

export interface TftpGetOptions {
  host: string;
  port: number;
  file: string;
  mode?: 'octet' | 'netascii';
  blksize?: number;
  windowsize?: number;
  tsize?: boolean;
  /** Extra raw options (e.g. timeout). */
  options?: Record<string, string>;
  /** Client-side wait before re-ACKing, ms (default 1000). */
  retryMs?: number;
  /** Give up after this long, ms (default 30 s). */
  deadlineMs?: number;
  /** Abort with an ERROR right after the OACK (EDK2's tsize query). */
  abortAfterOack?: boolean;
  /** Wait this long before each ACK of data (a slow client, so that a transfer lasts a known while). */
  ackDelayMs?: number;
}

export interface TftpGetResult {
  data: Buffer;
  oack: Map<string, string> | undefined;
  /** DATA packets received, duplicates included. */
  dataPackets: number;
  acksSent: number;
  error?: { code: number; message: string };
}

export function tftpGet(o: TftpGetOptions): Promise<TftpGetResult> {
  return new Download(o).run();
}

/** One download: the state of the receiving side of RFC 1350 + RFC 7440. */
class Download {
  private readonly sock = createSocket('udp4');
  private readonly chunks: Buffer[] = [];
  private readonly res: TftpGetResult = { data: Buffer.alloc(0), oack: undefined, dataPackets: 0, acksSent: 0 };
  private blksize = 512;
  private window = 1;
  private expected = 1; // next in-order absolute block
  private sinceAck = 0;
  private server: { address: string; port: number } | undefined;
  private lastSent: Buffer;
  private timer: NodeJS.Timeout | undefined;
  private deadline: NodeJS.Timeout | undefined;
  private finished = false;
  private resolve: (r: TftpGetResult) => void = () => undefined;

  constructor(private readonly o: TftpGetOptions) {
    const opts = new Map<string, string>(Object.entries(o.options ?? {}));
    if (o.blksize) opts.set('blksize', String(o.blksize));
    if (o.tsize) opts.set('tsize', '0');
    if (o.windowsize) opts.set('windowsize', String(o.windowsize));
    this.lastSent = encodeRequest('RRQ', o.file, o.mode ?? 'octet', opts);
  }

  run(): Promise<TftpGetResult> {
    return new Promise((resolve) => {
      this.resolve = resolve;
      this.deadline = setTimeout(() => this.finish({ code: -1, message: 'client deadline' }), this.o.deadlineMs ?? 30_000);
      this.sock.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
      this.sock.bind(0, () => this.send(this.lastSent));
    });
  }

  private finish(error?: { code: number; message: string }): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.timer);
    clearTimeout(this.deadline);
    // Let a final ACK or ERROR leave first (dgram sends on the next tick).
    setImmediate(() => this.sock.close());
    this.res.data = Buffer.concat(this.chunks);
    if (error) this.res.error = error;
    this.resolve(this.res);
  }

  /** Send and (re)arm the client's retransmission of it. */
  private send(buf: Buffer): void {
    this.lastSent = buf;
    const to = this.server ?? { address: this.o.host, port: this.o.port };
    this.sock.send(buf, to.port, to.address, () => undefined);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.send(this.lastSent), this.o.retryMs ?? 1000);
  }

  private ack(block: number): void {
    this.res.acksSent++;
    this.sinceAck = 0;
    const delay = block === 0 ? 0 : (this.o.ackDelayMs ?? 0);
    if (delay > 0) setTimeout(() => this.send(encodeAck(block)), delay);
    else this.send(encodeAck(block));
  }

  private onMessage(msg: Buffer, rinfo: { address: string; port: number }): void {
    if (!this.server) this.server = { address: rinfo.address, port: rinfo.port };
    else if (rinfo.port !== this.server.port) return;
    const d = decodeTftp(msg);
    if (!d.ok) return;
    const p = d.packet;
    if (p.op === 'ERROR') return this.finish({ code: p.code, message: p.message });
    if (p.op === 'OACK') return this.onOack(p.options);
    if (p.op === 'DATA') this.onData(p.block, p.data);
  }

  private onOack(options: Map<string, string>): void {
    this.res.oack = options;
    this.blksize = Number(options.get('blksize') ?? 512);
    this.window = Number(options.get('windowsize') ?? 1);
    if (!this.o.abortAfterOack) return this.ack(0);
    this.sock.send(encodeError(8, 'User aborted the transfer'), this.server!.port, this.server!.address, () => undefined);
    this.finish();
  }

  private onData(block: number, data: Buffer): void {
    this.res.dataPackets++;
    if (block !== (this.expected & 0xffff)) {
      // A gap or a duplicate: say where we are (the server resends from there).
      if (this.sinceAck > 0 || block !== ((this.expected - 1) & 0xffff)) this.ack((this.expected - 1) & 0xffff);
      return;
    }
    this.chunks.push(Buffer.from(data));
    this.expected++;
    this.sinceAck++;
    if (data.length < this.blksize) {
      this.sock.send(encodeAck(block), this.server!.port, this.server!.address, () => undefined);
      this.res.acksSent++;
      return this.finish();
    }
    if (this.sinceAck >= this.window) this.ack(block);
  }
}
