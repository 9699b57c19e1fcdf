/**
 * Bad input at the event sink: bytes that are not HTTP/2, HTTP/2 that is not gRPC, gRPC that is not an
 * event, events that do not decode, oversized messages and a flood of connections. The sink answers or
 * drops each, counts it, and keeps serving a real client; the store stays valid.
 */
import { connect as h2connect, constants as h2 } from 'node:http2';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server, ServerBinding } from '../../src/api/index.js';
import { EVENT_TYPES, PeerDirectory, TalosEventSink } from '../../src/talos-sink/index.js';
import { allocation, startRig, type Rig } from '../http/helpers.js';
import { TalosSinkClient } from './talos.js';

const NAME = '9e8d7c6b-5a49-4382-a1b0-c9d8e7f6a5b4';
let rig: Rig;
let sink: TalosEventSink;
let client: TalosSinkClient;

let seed = 20240501;
const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => rnd() & 255));

beforeAll(async () => {
  rig = await startRig();
  await rig.store.create<Server>({
    apiVersion: 'metal.sidero.dev/v1alpha2',
    kind: 'Server',
    metadata: { name: NAME },
    spec: { accepted: true },
    status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }] },
  } as Server);
  for (const o of allocation(NAME)) await rig.store.create(o);
  sink = new TalosEventSink({ settings: rig.settings, store: rig.store, events: rig.events, peers: new PeerDirectory(rig.store), host: '127.0.0.1', port: 0, limits: { maxConnections: 40, maxPerAddress: 40 } });
  await sink.start();
  client = new TalosSinkClient(`127.0.0.1:${sink.port()}`);
}, 30_000);

afterAll(async () => {
  client.close();
  await sink.stop();
  await rig.close();
});

async function stillServes(): Promise<void> {
  expect(await client.publish(['machine.PhaseEvent', { phase: 'saveConfig', action: 'START' }])).toBe(0);
}

async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function rawSend(payload: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port: sink.port() }, () => s.end(payload));
    s.resume();
    s.on('error', () => resolve());
    s.on('close', () => resolve());
    s.setTimeout(3000, () => s.destroy());
  });
}

/** One HTTP/2 request to the Publish path with this body; the grpc-status it got (or -1). */
function h2Publish(body: Buffer, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const session = h2connect(`http://127.0.0.1:${sink.port()}`);
    session.on('error', () => resolve(-1));
    const req = session.request({ [h2.HTTP2_HEADER_METHOD]: 'POST', [h2.HTTP2_HEADER_PATH]: '/events.EventSinkService/Publish', 'content-type': 'application/grpc', te: 'trailers', ...headers });
    let code = -1;
    const take = (h: Record<string, unknown>) => {
      if (h['grpc-status'] !== undefined) code = Number(h['grpc-status']);
    };
    req.on('response', take);
    req.on('trailers', take);
    req.on('error', () => undefined);
    req.on('close', () => {
      session.close();
      resolve(code);
    });
    req.end(body);
    req.resume();
  });
}

const frame = (msg: Buffer, flag = 0, length = msg.length) => Buffer.concat([Buffer.from([flag, length >>> 24, (length >>> 16) & 255, (length >>> 8) & 255, length & 255]), msg]);

describe('event sink under bad input', () => {
  it('drops connections that do not speak HTTP/2', async () => {
    await Promise.all(Array.from({ length: 30 }, () => rawSend(bytes(rnd() % 2048))));
    await Promise.all([rawSend(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')), rawSend(Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'))]);
    await until(() => sink.stats().connections === 0, 'garbage connections closed');
    await stillServes();
  });

  it('answers every HTTP/2 request, with an error status when the gRPC framing is broken', async () => {
    const broken = [await h2Publish(bytes(3)), await h2Publish(frame(bytes(10), 0, 1000)), await h2Publish(frame(Buffer.alloc(0), 0, 100_000))];
    expect(broken.every((c) => c > 0)).toBe(true);
    // Framed but odd (a compressed flag without an encoding, an encoding nobody knows, random bodies):
    // answered one way or another, never left hanging.
    const odd = [await h2Publish(frame(bytes(10), 1)), await h2Publish(frame(bytes(20)), { 'grpc-encoding': 'snappy-made-up' })];
    for (let i = 0; i < 40; i++) odd.push(await h2Publish(frame(bytes(rnd() % 200))));
    expect(odd.every((c) => c >= 0)).toBe(true);
    await stillServes();
  });

  it('refuses events that do not decode, skips unknown types, and keeps the binding valid', async () => {
    const seen = new Set<number>();
    for (const type of EVENT_TYPES) {
      for (let i = 0; i < 25; i++) seen.add(await client.request({ id: `f${i}`, data: { type_url: `type.googleapis.com/${type}`, value: bytes(rnd() % 96) } }));
    }
    expect([...seen].every((c) => c === 0 || c === 3)).toBe(true);
    expect(seen.has(3)).toBe(true);
    expect(sink.stats().malformed).toBeGreaterThan(0);
    expect(rig.eventsOf('talos.dropped').filter((e) => String(e['reason']).startsWith('malformed Talos event'))).toHaveLength(1);
    const b = rig.store.get<ServerBinding>('ServerBinding', NAME)!;
    for (const c of b.status?.conditions ?? []) expect(['True', 'False']).toContain(c.status);
    for (const a of b.spec?.addresses ?? []) expect(a).toMatch(/^[0-9a-f.:]+$/);
    await stillServes();
  });

  it('refuses a message over 64 KiB', async () => {
    expect(await client.request({ id: 'big', data: { type_url: 'type.googleapis.com/machine.PhaseEvent', value: Buffer.alloc(100_000, 1) } })).toBe(8);
    await stillServes();
  });

  it('caps connections, counting the refused, and serves again when they close', async () => {
    const refusedBefore = sink.stats().refusedConnections;
    const socks: Socket[] = [];
    await Promise.all(
      Array.from(
        { length: 100 },
        () =>
          new Promise<void>((resolve) => {
            const s = connect({ host: '127.0.0.1', port: sink.port() }, () => resolve());
            s.on('error', () => resolve());
            s.on('close', () => resolve());
            socks.push(s);
          }),
      ),
    );
    await until(() => sink.stats().refusedConnections - refusedBefore >= 59, 'connections over the cap refused');
    expect(sink.stats().connections).toBeLessThanOrEqual(40);
    for (const s of socks) s.destroy();
    await until(() => sink.stats().connections <= 1, 'flood closed');
    await stillServes();
  });
});
