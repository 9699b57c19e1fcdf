/** The kernel log receiver over real TCP connections, with a clock the test moves for the rate limit. */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Server } from '../../src/api/index.js';
import { KernelLogReceiver, PeerDirectory } from '../../src/talos-sink/index.js';
import { startRig, type Rig } from '../http/helpers.js';

const NAME = '0b6f3a52-7c1d-4e29-9a8b-3f2e1d0c9b8a';

let rig: Rig | undefined;
let rx: KernelLogReceiver | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await rx?.stop();
  await rig?.close();
  rx = rig = undefined;
});

const klog = (msg: string, level = 'info') => JSON.stringify({ clock: 1200, facility: 'kern', msg: `${msg}\n`, priority: level === 'info' ? 'info' : 'warning', seq: 1, 'talos-level': level, 'talos-time': '2026-01-01T10:00:00Z' });

async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function open(port: number, localAddress = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, localAddress }, () => resolve(s));
    s.on('error', reject);
    sockets.push(s);
  });
}

/** A receiver over a store with one Server known at `addresses`, and a clock the test moves. */
async function receiver(addresses = ['127.0.0.1'], limits = {}): Promise<{ r: Rig; k: KernelLogReceiver; clock: { t: number } }> {
  const r = (rig = await startRig());
  await r.store.create<Server>({
    apiVersion: 'metal.sidero.dev/v1alpha2',
    kind: 'Server',
    metadata: { name: NAME },
    spec: { accepted: true },
    status: { addresses: addresses.map((address) => ({ type: 'InternalIP' as const, address })) },
  } as Server);
  const clock = { t: 5_000_000 };
  const k = (rx = new KernelLogReceiver({ settings: r.settings, events: r.events, peers: new PeerDirectory(r.store), host: '127.0.0.1', port: 0, now: () => clock.t, limits }));
  await k.start();
  return { r, k, clock };
}

const logLines = (r: Rig) => r.eventsOf('talos.log').map((e) => e['line']);

describe('kernel log receiver', () => {
  it('turns each JSON line of a known server into a talos.log line on its timeline', async () => {
    const { r, k } = await receiver();
    const s = await open(k.port());
    s.write(`${klog('Linux version 6.12.0-talos')}\n${klog('[talos] task startAllServices (1/1): waiting for 6 services', 'warn')}\n{"msg":"half`);
    await until(() => logLines(r).length === 2, 'two lines');
    s.write(' a line"}\n');
    await until(() => logLines(r).length === 3, 'the line finished in a second write');
    expect(logLines(r)).toEqual(['Linux version 6.12.0-talos', '[warn] [talos] task startAllServices (1/1): waiting for 6 services', 'half a line']);
    expect(r.events.timeline(NAME).filter((x) => x.event.type === 'talos.log')).toHaveLength(3);
    expect(k.stats()).toMatchObject({ lines: 3, shown: 3, malformed: 0, unknownPeer: 0, connections: 1 });
  });

  it('lets at most 50 lines a second per server through, then says how many were dropped', async () => {
    const { r, k, clock } = await receiver();
    const s = await open(k.port());
    s.write(Array.from({ length: 200 }, (_, i) => `${klog(`line ${i}`)}\n`).join(''));
    await until(() => k.stats().lines === 200, 'all lines read');
    expect(logLines(r)).toEqual(Array.from({ length: 50 }, (_, i) => `line ${i}`));
    clock.t += 1000;
    s.write(`${klog('after a second')}\n`);
    await until(() => k.stats().lines === 201, 'one more line');
    expect(logLines(r).slice(50)).toEqual(['… 150 kernel log lines dropped (more than 50 a second)', 'after a second']);
    expect(k.stats().rateDropped).toBe(150);
  });

  it('ignores lines from an address that is no known server (told once), until the store learns the address', async () => {
    const { r, k, clock } = await receiver(['127.0.0.1']);
    const s = await open(k.port(), '127.0.0.9');
    s.write(`${klog('one')}\n${klog('two')}\n`);
    s.write(`${klog('three')}\n`);
    await until(() => k.stats().lines === 3, 'three lines');
    expect(logLines(r)).toEqual([]);
    expect(k.stats().unknownPeer).toBe(3);
    expect(r.eventsOf('talos.dropped')).toEqual([{ type: 'talos.dropped', from: '127.0.0.9', reason: 'kernel log from an address that is no known server (ignored)' }]);
    await r.store.mutate<Server>('Server', NAME, undefined, (o) => void o.status!.addresses!.push({ type: 'InternalIP', address: '127.0.0.9' }));
    clock.t += 2000;
    s.write(`${klog('four')}\n`);
    await until(() => logLines(r).length === 1, 'the line once the address is known');
    expect(logLines(r)).toEqual(['four']);
  });

  it('counts and drops garbage and lines over 64 KiB, and goes on with the good lines', async () => {
    const { r, k } = await receiver();
    const s = await open(k.port());
    let seed = 11;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 255;
    s.write(Buffer.from(Array.from({ length: 4096 }, () => rnd()).map((b) => (b === 10 ? 11 : b))));
    s.write('\n[1,2,3]\n{"msg":7}\nplain words\n');
    s.write(Buffer.alloc(200 * 1024, 0x7b));
    s.write(`\n${klog('survived')}\n`);
    await until(() => logLines(r).includes('survived'), 'the good line');
    expect(k.stats()).toMatchObject({ oversized: 1, malformed: 4, shown: 1 });
    expect(r.eventsOf('talos.dropped').map((e) => e['reason'])).toEqual(['kernel log line is not JSON', 'kernel log line longer than 64 KiB']);
  });

  it('refuses connections over its cap and keeps serving', async () => {
    const { r, k } = await receiver(['127.0.0.1'], { maxConnections: 20, maxPerAddress: 10 });
    const many = await Promise.all(Array.from({ length: 40 }, (_, i) => open(k.port(), `127.0.1.${1 + (i % 4)}`).catch(() => undefined)));
    await until(() => k.stats().refusedConnections === 20 && k.stats().connections === 20, 'twenty refused');
    for (const s of many) s?.destroy();
    await until(() => k.stats().connections === 0, 'all closed');
    const s = await open(k.port());
    s.write(`${klog('still here')}\n`);
    await until(() => logLines(r).includes('still here'), 'a line after the flood');
  });
});
