/**
 * Random and mutated datagrams for robustness tests, from a seeded generator so a failure can be replayed
 * (the seed is in the test name).
 */
import { createSocket, type Socket } from 'node:dgram';

/** mulberry32: small, fast, good enough to drive a fuzzer. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` datagrams: a third random bytes, two thirds mutations of the seeds. */
export function fuzzPackets(seeds: readonly Buffer[], count: number, rnd: () => number): Buffer[] {
  const int = (n: number) => Math.floor(rnd() * n);
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 3 === 0) {
      const b = Buffer.alloc(int(700));
      for (let j = 0; j < b.length; j++) b[j] = int(256);
      out.push(b);
      continue;
    }
    let b = Buffer.from(seeds[int(seeds.length)]!);
    switch (int(5)) {
      case 0: // flip a few bytes anywhere
        for (let k = 1 + int(8); k > 0; k--) b[int(b.length)] = int(256);
        break;
      case 1: // truncate
        b = b.subarray(0, int(b.length));
        break;
      case 2: // corrupt the option area (lengths, codes)
        for (let k = 1 + int(6); k > 0 && b.length > 241; k--) b[240 + int(b.length - 240)] = int(256);
        break;
      case 3: // append junk options
        b = Buffer.concat([b, Buffer.from(Array.from({ length: int(80) }, () => int(256)))]);
        break;
      default: // the header fields that steer policy: op, hlen, ciaddr, giaddr
        b[0] = int(4);
        b[2] = int(20);
        if (b.length >= 28) b.writeUInt32BE(int(2 ** 32), 12 + 4 * int(4));
    }
    out.push(b);
  }
  return out;
}

/** Send every packet from one socket, in chunks, waiting after each chunk until `received()` catches up. */
export async function blast(packets: readonly Buffer[], to: { address: string; port: number }, received: () => number, from?: Socket): Promise<void> {
  const sock = from ?? createSocket('udp4');
  if (!from) await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  sock.on('message', () => undefined); // answers are not read
  const start = received();
  try {
    for (let i = 0; i < packets.length; i += 100) {
      const chunk = packets.slice(i, i + 100);
      await Promise.all(chunk.map((p) => new Promise<void>((r) => sock.send(p, to.port, to.address, () => r()))));
      const want = start + i + chunk.length;
      const until = Date.now() + 5000;
      while (received() < want && Date.now() < until) await new Promise((r) => setTimeout(r, 2));
    }
  } finally {
    if (!from) sock.close();
  }
}
