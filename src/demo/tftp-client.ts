/**
 * A firmware's TFTP read of its boot file, on Metalbox's own codec: RRQ with blksize and tsize, the OACK
 * acknowledged with block 0, then DATA blocks acknowledged in turn, with retransmission on silence.
 */
import { createSocket, type RemoteInfo } from 'node:dgram';
import { decodeTftp, encodeAck, encodeRequest, type TftpPacket } from '../tftp/index.js';

export interface TftpResult {
  ok: boolean;
  bytes: number;
  error?: string;
}

export async function tftpRead(server: { address: string; port: number }, file: string, from: string, opts: { blksize?: number; timeoutMs?: number } = {}): Promise<TftpResult> {
  const sock = createSocket({ type: 'udp4' });
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(0, from, () => resolve());
  });
  sock.on('error', () => undefined);
  const timeoutMs = opts.timeoutMs ?? 1500;
  let blksize = 512;
  let received = 0;
  let expected = 1;
  let peer: { address: string; port: number } | undefined;
  const next = () =>
    new Promise<{ p: TftpPacket; from: RemoteInfo } | undefined>((resolve) => {
      const timer = setTimeout(() => {
        sock.off('message', onMessage);
        resolve(undefined);
      }, timeoutMs);
      const onMessage = (msg: Buffer, rinfo: RemoteInfo) => {
        const d = decodeTftp(msg);
        if (!d.ok) return;
        clearTimeout(timer);
        sock.off('message', onMessage);
        resolve({ p: d.packet, from: rinfo });
      };
      sock.on('message', onMessage);
    });
  const send = (buf: Buffer, to: { address: string; port: number }) => new Promise<void>((r) => sock.send(buf, to.port, to.address, () => r()));
  try {
    const rrq = encodeRequest('RRQ', file, 'octet', new Map([['blksize', String(opts.blksize ?? 1468)], ['tsize', '0']]));
    let last: { buf: Buffer; to: { address: string; port: number } } = { buf: rrq, to: server };
    void send(rrq, server);
    for (let silent = 0; silent < 5; ) {
      const got = await next();
      if (!got) {
        silent++;
        void send(last.buf, last.to);
        continue;
      }
      silent = 0;
      const { p, from } = got;
      peer ??= { address: from.address, port: from.port };
      if (p.op === 'ERROR') return { ok: false, bytes: received, error: p.message };
      if (p.op === 'OACK') {
        blksize = Number(p.options.get('blksize') ?? 512);
        last = { buf: encodeAck(0), to: peer };
        void send(last.buf, peer);
        continue;
      }
      if (p.op !== 'DATA') continue;
      if (p.block === (expected & 0xffff)) {
        received += p.data.length;
        expected++;
      }
      last = { buf: encodeAck(p.block), to: peer };
      // The last ACK must be on the wire before the socket closes.
      if (p.block === ((expected - 1) & 0xffff) && p.data.length < blksize) {
        await send(last.buf, peer);
        return { ok: true, bytes: received };
      }
      void send(last.buf, peer);
    }
    return { ok: false, bytes: received, error: 'the server went silent' };
  } finally {
    await new Promise<void>((r) => sock.close(() => r()));
  }
}
