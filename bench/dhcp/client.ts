/**
 * Benchmark client (runs inside a lab namespace via startNode): `run` starts DISCOVER for `n` distinct
 * MACs at once and completes DISCOVER, OFFER, REQUEST, ACK for each, retransmitting like a real client
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

async function handshakes(sock: Socket, n: number, retryMs: number, tries: number, deadlineMs: number) {
  const tag = randomBytes(2);
  const clients = new Map<number, Client>();
  for (let i = 0; i < n; i++) {
    const mac = `02:${tag[0]!.toString(16).padStart(2, '0')}:${tag[1]!.toString(16).padStart(2, '0')}:00:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`;
    const xid = randomBytes(4).readUInt32BE(0);
    clients.set(xid, { mac, xid, started: 0n, state: 'discovering', packet: message({ mac, xid }, 'DISCOVER'), lastSent: 0, tries: 1 });
  }
  let retransmits = 0;
  let naks = 0;
  const send = (c: Client) => {
    c.lastSent = Date.now();
    sock.send(c.packet, 67, '255.255.255.255', () => undefined);
  };
  sock.on('message', (msg) => {
    const d = decodePacket(msg);
    if (!d.ok || d.packet.op !== BOOTREPLY) return;
    const c = clients.get(d.packet.xid);
    if (!c) return;
    const type = messageType(d.packet);
    if (type === 'OFFER' && c.state === 'discovering') {
      c.state = 'requesting';
      c.offerMs = Number(process.hrtime.bigint() - c.started) / 1e6;
      c.packet = message(c, 'REQUEST', d.packet);
      c.tries = 1;
      send(c);
    } else if (type === 'ACK' && c.state === 'requesting') {
      c.state = 'bound';
      c.latencyMs = Number(process.hrtime.bigint() - c.started) / 1e6;
      c.address = d.packet.yiaddr;
    } else if (type === 'NAK') naks++;
  });
  const t0 = process.hrtime.bigint();
  for (const c of clients.values()) {
    c.started = process.hrtime.bigint();
    send(c);
  }
  const end = Date.now() + deadlineMs;
  while (Date.now() < end && [...clients.values()].some((c) => c.state !== 'bound')) {
    await new Promise((r) => setTimeout(r, 50));
    for (const c of clients.values()) {
      if (c.state === 'bound' || Date.now() - c.lastSent < retryMs || c.tries >= tries) continue;
      c.tries++;
      retransmits++;
      send(c);
    }
  }
  const all = [...clients.values()];
  const lat = all.filter((c) => c.latencyMs !== undefined).map((c) => c.latencyMs!).sort((a, b) => a - b);
  const q = (p: number, xs = lat) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? Number.NaN;
  const offers = all.filter((c) => c.offerMs !== undefined).map((c) => c.offerMs!).sort((a, b) => a - b);
  return {
    completed: lat.length,
    lost: n - lat.length,
    retransmits,
    naks,
    distinctAddresses: new Set(all.map((c) => c.address).filter(Boolean)).size,
    totalMs: Number(process.hrtime.bigint() - t0) / 1e6,
    p50: q(0.5),
    p99: q(0.99),
    max: lat.at(-1) ?? Number.NaN,
    offerP50: q(0.5, offers),
    offerP99: q(0.99, offers),
  };
}

void serveChild(async () => {
  const sock = createSocket({ type: 'udp4', reuseAddr: true });
  await new Promise<void>((r) => sock.bind(68, '0.0.0.0', () => r()));
  sock.setBroadcast(true);
  sock.setRecvBufferSize(4 << 20);
  return {
    ops: {
      run: (a) => {
        const { n, retryMs = 4000, tries = 4, deadlineMs = 60_000 } = a as { n: number; retryMs?: number; tries?: number; deadlineMs?: number };
        sock.removeAllListeners('message');
        return handshakes(sock, n, retryMs, tries, deadlineMs);
      },
    },
    stop: () => new Promise<void>((r) => sock.close(() => r())),
  };
});
