/**
 * Benchmark client (runs inside a lab namespace via startNode): `run` starts DISCOVER for `n` distinct
 * MACs at once (or spread over `spreadMs`) and completes DISCOVER, OFFER, REQUEST, ACK for each, retransmitting like a real client
 * (after `retryMs`, at most `tries` times). Reports handshake latencies (first DISCOVER to ACK).
 */
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import {
  BOOTREPLY,
  BOOTREQUEST,
  chaddrFromMac,
  decodePacket,
  encodePacket,
  FLAG_BROADCAST,
  getIp,
  ipBytes,
  messageType,
  OPT,
  setMessageType,
  type DhcpPacket,
} from '../../src/dhcp/index.js';
import { serveChild } from '../../test/lab/node-child.js';

interface Client {
  mac: string;
  xid: number;
  started: bigint;
  state: 'discovering' | 'requesting' | 'bound';
  packet: Buffer;
  lastSent: number;
  tries: number;
  latencyMs?: number;
  offerMs?: number;
  address?: string;
}

function message(c: { mac: string; xid: number }, type: 'DISCOVER' | 'REQUEST', offer?: DhcpPacket): Buffer {
  const p: DhcpPacket = {
    op: BOOTREQUEST, htype: 1, hlen: 6, hops: 0, xid: c.xid, secs: 0, flags: FLAG_BROADCAST,
    ciaddr: '0.0.0.0', yiaddr: '0.0.0.0', siaddr: '0.0.0.0', giaddr: '0.0.0.0',
    chaddr: chaddrFromMac(c.mac), sname: '', file: '', options: new Map(),
  };
  setMessageType(p.options, type);
  p.options.set(OPT.clientId, Buffer.concat([Buffer.from([1]), chaddrFromMac(c.mac).subarray(0, 6)]));
  p.options.set(OPT.parameterRequestList, Buffer.from([1, 3, 6, 51, 54, 58, 59]));
  p.options.set(OPT.maxMessageSize, Buffer.from([0x05, 0xdc]));
  if (offer) {
    p.options.set(OPT.requestedAddress, ipBytes(offer.yiaddr));
    p.options.set(OPT.serverId, ipBytes(getIp(offer, OPT.serverId) ?? '0.0.0.0'));
  }
  return encodePacket(p);
}

interface RunOptions {
  n: number;
  retryMs: number;
  tries: number;
  deadlineMs: number;
  spreadMs: number;
}

/** n clients' handshakes over one socket bound to port 68. */
class Handshakes {
  private readonly clients = new Map<number, Client>();
  private retransmits = 0;
  private naks = 0;

  constructor(
    private readonly sock: Socket,
    private readonly o: RunOptions,
  ) {
    const tag = randomBytes(2).toString('hex').replace(/(..)(..)/, '$1:$2');
    for (let i = 0; i < o.n; i++) {
      const mac = `02:${tag}:00:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`;
      const xid = randomBytes(4).readUInt32BE(0);
      this.clients.set(xid, { mac, xid, started: 0n, state: 'discovering', packet: message({ mac, xid }, 'DISCOVER'), lastSent: 0, tries: 1 });
    }
  }

  async run() {
    this.sock.on('message', (msg) => this.onReply(msg));
    const t0 = process.hrtime.bigint();
    await this.start();
    await this.retransmitUntilDone();
    return this.report(Number(process.hrtime.bigint() - t0) / 1e6);
  }

  private send(c: Client): void {
    c.lastSent = Date.now();
    this.sock.send(c.packet, 67, '255.255.255.255', () => undefined);
  }

  /** spreadMs 0: every DISCOVER in one burst; otherwise evenly over spreadMs, in 10 ms steps. */
  private async start(): Promise<void> {
    const list = [...this.clients.values()];
    const steps = this.o.spreadMs > 0 ? Math.max(1, Math.floor(this.o.spreadMs / 10)) : 1;
    for (let s = 0; s < steps; s++) {
      for (const c of list.slice(Math.floor((s * list.length) / steps), Math.floor(((s + 1) * list.length) / steps))) {
        c.started = process.hrtime.bigint();
        this.send(c);
      }
      if (s < steps - 1) await new Promise((r) => setTimeout(r, 10));
    }
  }

  private onReply(msg: Buffer): void {
    const d = decodePacket(msg);
    if (!d.ok || d.packet.op !== BOOTREPLY) return;
    const c = this.clients.get(d.packet.xid);
    if (!c) return;
    const type = messageType(d.packet);
    const since = () => Number(process.hrtime.bigint() - c.started) / 1e6;
    if (type === 'OFFER' && c.state === 'discovering') {
      c.state = 'requesting';
      c.offerMs = since();
      c.packet = message(c, 'REQUEST', d.packet);
      c.tries = 1;
      this.send(c);
    } else if (type === 'ACK' && c.state === 'requesting') {
      c.state = 'bound';
      c.latencyMs = since();
      c.address = d.packet.yiaddr;
    } else if (type === 'NAK') this.naks++;
  }

  /** Like a real client: resend the current message after retryMs, at most `tries` times in all. */
  private async retransmitUntilDone(): Promise<void> {
    const end = Date.now() + this.o.deadlineMs;
    const all = [...this.clients.values()];
    while (Date.now() < end && all.some((c) => c.state !== 'bound')) {
      await new Promise((r) => setTimeout(r, 50));
      for (const c of all) {
        if (c.state === 'bound' || Date.now() - c.lastSent < this.o.retryMs || c.tries >= this.o.tries) continue;
        c.tries++;
        this.retransmits++;
        this.send(c);
      }
    }
  }

  private report(totalMs: number) {
    const all = [...this.clients.values()];
    const sorted = (xs: (number | undefined)[]) => xs.filter((x): x is number => x !== undefined).sort((a, b) => a - b);
    const lat = sorted(all.map((c) => c.latencyMs));
    const offers = sorted(all.map((c) => c.offerMs));
    const q = (p: number, xs: number[]) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? Number.NaN;
    return {
      completed: lat.length,
      lost: this.o.n - lat.length,
      retransmits: this.retransmits,
      naks: this.naks,
      distinctAddresses: new Set(all.map((c) => c.address).filter(Boolean)).size,
      totalMs,
      p50: q(0.5, lat),
      p99: q(0.99, lat),
      max: lat.at(-1) ?? Number.NaN,
      offerP50: q(0.5, offers),
      offerP99: q(0.99, offers),
    };
  }
}

void serveChild(async () => {
  const sock = createSocket({ type: 'udp4', reuseAddr: true });
  await new Promise<void>((r) => sock.bind(68, '0.0.0.0', () => r()));
  sock.setBroadcast(true);
  sock.setRecvBufferSize(4 << 20);
  return {
    ops: {
      run: (a) => {
        const o = a as Partial<RunOptions> & { n: number };
        sock.removeAllListeners('message');
        return new Handshakes(sock, { retryMs: 4000, tries: 4, deadlineMs: 60_000, spreadMs: 0, ...o }).run();
      },
    },
    stop: () => new Promise<void>((r) => sock.close(() => r())),
  };
});
