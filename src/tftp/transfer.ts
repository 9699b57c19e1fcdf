/**
 * One read transfer on its own socket (its own TID, RFC 1350): OACK or DATA 1, windows of `windowsize`
 * blocks (RFC 7440), retransmission on timeout with a retry limit, block numbers that roll over past 65535.
 *
 * Duplicate ACKs never trigger a send (the Sorcerer's Apprentice bug): only an ACK that moves the window
 * forward sends the next window; anything lost is resent when the timer fires.
 *
 * The socket is connected to the client: the kernel drops datagrams from any other address or port (so a
 * stranger cannot disturb the transfer, and gets no answer), and sends need no per-packet address lookup.
 */
import { type RemoteInfo, type Socket, createSocket } from 'node:dgram';
import { OP, TFTP_ERROR, dataHeader, decodeTftp, encodeError, encodeOack } from './codec.js';

export interface TransferSpec {
  peer: { address: string; port: number };
  data: Buffer;
  blksize: number;
  windowsize: number;
  timeoutMs: number;
  /** Retransmissions of one window before the transfer is abandoned. */
  retries: number;
  oack: Map<string, string> | undefined;
}

export type TransferOutcome =
  | { ok: true }
  /** `clientAborted`: the client sent an ERROR; before any DATA that is EDK2's usual tsize query. */
  | { ok: false; error: string; clientAborted?: boolean };

export interface TransferHooks {
  /** The first DATA packet is about to leave (after the OACK was acknowledged, if there was one). */
  onData(): void;
  /** Bytes acknowledged so far; called on every forward step (the service throttles its events). */
  onProgress(bytes: number): void;
  onEnd(outcome: TransferOutcome): void;
  /** Count a packet sent (statistics). */
  onSent(bytes: number): void;
  onStray(from: RemoteInfo, reason: string): void;
}

export class Transfer {
  private sock: Socket | undefined;
  private readonly lastBlock: number;
  /** Highest block acknowledged (absolute, 0 = none). */
  private acked = 0;
  /** Highest block sent (absolute). */
  private sent = 0;
  private waitingForOackAck: boolean;
  private tries = 0;
  private timer: NodeJS.Timeout | undefined;
  private ended = false;

  constructor(
    private readonly spec: TransferSpec,
    private readonly hooks: TransferHooks,
  ) {
    this.lastBlock = Math.floor(spec.data.length / spec.blksize) + 1;
    this.waitingForOackAck = spec.oack !== undefined;
  }

  get ackedBytes(): number {
    return Math.min(this.acked * this.spec.blksize, this.spec.data.length);
  }

  async start(): Promise<void> {
    const sock = createSocket({ type: 'udp4' });
    const { address, port } = this.spec.peer;
    await new Promise<void>((resolve, reject) => {
      sock.once('error', reject);
      sock.bind({ port: 0, address: '0.0.0.0' }, () => sock.connect(port, address, () => {
        sock.removeListener('error', reject);
        resolve();
      }));
    }).catch((e: unknown) => {
      sock.close();
      throw e;
    });
    sock.on('error', (e) => this.finish({ ok: false, error: `socket error: ${e.message}` }));
    sock.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
    this.sock = sock;
    this.sendCurrent();
  }

  /** Stop at once (service shutdown): tell the client, free the socket. */
  abort(reason: string): void {
    if (this.ended) return;
    this.sendRaw(encodeError(TFTP_ERROR.notDefined, reason));
    this.finish({ ok: false, error: reason });
  }

  private onMessage(msg: Buffer, rinfo: RemoteInfo): void {
    if (this.ended) return;
    // The hot path: an ACK, read in place.
    if (msg.length >= 4 && msg[0] === 0 && msg[1] === OP.ACK) return this.onAck(msg.readUInt16BE(2));
    const d = decodeTftp(msg);
    if (!d.ok) return this.hooks.onStray(rinfo, d.reason);
    if (d.packet.op === 'ERROR') {
      return this.finish({ ok: false, error: `client aborted: ${d.packet.message || `error ${d.packet.code}`}`, clientAborted: true });
    }
    if (d.packet.op !== 'ACK') return this.hooks.onStray(rinfo, `unexpected ${d.packet.op} during a read`);
    this.onAck(d.packet.block);
  }

  private onAck(wire: number): void {
    if (this.waitingForOackAck) {
      if (wire !== 0) return;
      this.waitingForOackAck = false;
      this.tries = 0;
      this.sendWindow(1);
      return;
    }
    // Map the 16-bit block number into the window [acked, sent]; anything else is stale.
    const abs = this.acked + ((wire - (this.acked & 0xffff)) & 0xffff);
    if (abs <= this.acked || abs > this.sent) return; // duplicate or stale: the timer handles loss
    this.acked = abs;
    this.tries = 0;
    this.hooks.onProgress(this.ackedBytes);
    if (abs === this.lastBlock) return this.finish({ ok: true });
    this.sendWindow(abs + 1);
  }

  /** (Re)send what the client is waiting for: the OACK, or the window after the last ACK. */
  private sendCurrent(): void {
    if (this.waitingForOackAck) {
      this.sendRaw(encodeOack(this.spec.oack!));
      this.arm();
    } else this.sendWindow(this.acked + 1);
  }

  private sendWindow(first: number): void {
    if (this.sent === 0) this.hooks.onData();
    const last = Math.min(first + this.spec.windowsize - 1, this.lastBlock);
    const { data, blksize } = this.spec;
    for (let b = first; b <= last; b++) {
      const payload = data.subarray((b - 1) * blksize, Math.min(b * blksize, data.length));
      this.sendRaw(dataHeader(b), payload);
    }
    this.sent = Math.max(this.sent, last);
    this.arm();
  }

  /** (Re)start the retransmission timer; refreshing one timer is much cheaper than a new one per ACK. */
  private arm(): void {
    if (this.timer) this.timer.refresh();
    else this.timer = setTimeout(() => this.onTimeout(), this.spec.timeoutMs);
  }

  private onTimeout(): void {
    if (this.ended) return;
    if (++this.tries > this.spec.retries) {
      this.sendRaw(encodeError(TFTP_ERROR.notDefined, 'timed out waiting for an ACK'));
      this.finish({ ok: false, error: `no ACK after ${this.spec.retries} retransmissions` });
      return;
    }
    this.sendCurrent();
  }

  /** Send on the connected socket; errors arrive as the socket's 'error' event, which ends the transfer. */
  private sendRaw(head: Buffer, payload?: Buffer): void {
    const sock = this.sock;
    if (!sock) return;
    sock.send(payload ? [head, payload] : head);
    this.hooks.onSent(head.length + (payload?.length ?? 0));
  }

  private finish(outcome: TransferOutcome): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.timer);
    const sock = this.sock;
    this.sock = undefined;
    // Close after the last queued send has left (dgram resolves the address on the next tick).
    if (sock) setImmediate(() => sock.close());
    this.hooks.onEnd(outcome);
  }
}
