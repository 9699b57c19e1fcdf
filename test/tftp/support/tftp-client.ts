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
  const opts = new Map<string, string>(Object.entries(o.options ?? {}));
  if (o.blksize) opts.set('blksize', String(o.blksize));
  if (o.tsize) opts.set('tsize', '0');
  if (o.windowsize) opts.set('windowsize', String(o.windowsize));
  const sock = createSocket('udp4');
  const chunks: Buffer[] = [];
  const res: TftpGetResult = { data: Buffer.alloc(0), oack: undefined, dataPackets: 0, acksSent: 0 };
  let blksize = 512;
  let window = 1;
  let expected = 1; // next in-order absolute block
  let sinceAck = 0;
  let server: { address: string; port: number } | undefined;
  let lastSent = encodeRequest('RRQ', o.file, o.mode ?? 'octet', opts);
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = setTimeout(() => finish({ code: -1, message: 'client deadline' }), o.deadlineMs ?? 30_000);
    let finished = false;
    const finish = (error?: { code: number; message: string }) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      clearTimeout(deadline);
      // Let a final ACK or ERROR leave first (dgram sends on the next tick).
      setImmediate(() => sock.close());
      res.data = Buffer.concat(chunks);
      if (error) res.error = error;
      resolve(res);
    };
    const send = (buf: Buffer) => {
      lastSent = buf;
      const to = server ?? { address: o.host, port: o.port };
      sock.send(buf, to.port, to.address, () => undefined);
      clearTimeout(timer);
      timer = setTimeout(() => send(lastSent), o.retryMs ?? 1000);
    };
    const ack = (block: number) => {
      res.acksSent++;
      sinceAck = 0;
      send(encodeAck(block));
    };
    sock.on('message', (msg, rinfo) => {
      if (!server) server = { address: rinfo.address, port: rinfo.port };
      else if (rinfo.port !== server.port) return;
      const d = decodeTftp(msg);
      if (!d.ok) return;
      const p = d.packet;
      if (p.op === 'ERROR') return finish({ code: p.code, message: p.message });
      if (p.op === 'OACK') {
        res.oack = p.options;
        blksize = Number(p.options.get('blksize') ?? 512);
        window = Number(p.options.get('windowsize') ?? 1);
        if (o.abortAfterOack) {
          sock.send(encodeError(8, 'User aborted the transfer'), server.port, server.address, () => undefined);
          return finish();
        }
        return ack(0);
      }
      if (p.op !== 'DATA') return;
      res.dataPackets++;
      if (p.block !== (expected & 0xffff)) {
        // A gap or a duplicate: say where we are (the server resends from there).
        if (sinceAck > 0 || p.block !== ((expected - 1) & 0xffff)) ack((expected - 1) & 0xffff);
        return;
      }
      chunks.push(Buffer.from(p.data));
      expected++;
      sinceAck++;
      if (p.data.length < blksize) {
        sock.send(encodeAck(p.block), server.port, server.address, () => undefined);
        res.acksSent++;
        return finish();
      }
      if (sinceAck >= window) ack(p.block);
    });
    sock.bind(0, () => send(lastSent));
  });
}
