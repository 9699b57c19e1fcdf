import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EventBus, formatEvent, Ring, severityOf } from '../../src/events/index.js';

const dir = mkdtempSync(join(tmpdir(), 'mbx-events-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('events', () => {
  it('ring keeps the newest entries in order', () => {
    const r = new Ring<number>(3);
    for (let i = 1; i <= 5; i++) r.push(i);
    expect(r.toArray()).toEqual([3, 4, 5]);
    expect(r.last(2)).toEqual([4, 5]);
  });

  it('formats every kind and rates severity', () => {
    expect(formatEvent({ type: 'dhcp.exchange', mac: 'aa:bb:cc:dd:ee:ff', request: 'DISCOVER', reply: 'OFFER', mode: 'proxy', port: 67, bootFile: 'undionly.kpxe' })).toBe(
      'DHCP DISCOVER -> OFFER aa:bb:cc:dd:ee:ff boot undionly.kpxe',
    );
    expect(formatEvent({ type: 'power.operator', server: 's1', request: 'power on server s1 now' })).toBe('ACTION NEEDED: power on server s1 now');
    expect(severityOf({ type: 'audit.denied', peer: '10.0.0.9', path: '/configdata', reason: 'bad token' })).toBe('warn');
  });

  it('keeps per-server timelines that merge the MAC-only network events', () => {
    const bus = new EventBus({ perServer: 10 });
    bus.emit({ type: 'dhcp.exchange', mac: 'AA:BB:CC:DD:EE:01', request: 'DISCOVER', reply: 'OFFER', mode: 'full', port: 67 });
    bus.emit({ type: 'server.discovered', server: 'u1', mac: 'aa:bb:cc:dd:ee:01', accepted: false });
    bus.emit({ type: 'boot.ipxe', server: 'u2', decision: 'park' });
    const t = bus.timeline('u1', ['aa:bb:cc:dd:ee:01']);
    expect(t.map((r) => r.event.type)).toEqual(['dhcp.exchange', 'server.discovered']);
    expect(bus.recent(2).map((r) => r.seq)).toEqual([2, 3]);
  });

  it('appends a JSON-lines audit log and rotates it by size', async () => {
    const path = join(dir, 'events.jsonl');
    const bus = new EventBus({ audit: { path, maxBytes: 2000, keep: 2 } });
    for (let i = 0; i < 60; i++) {
      bus.emit({ type: 'audit.denied', peer: `10.0.0.${i}`, path: '/configdata', reason: 'bad token' });
      await new Promise((r) => setImmediate(r));
    }
    bus.close();
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(JSON.parse(lines.at(-1)!).event.peer).toBe('10.0.0.59');
    expect(existsSync(`${path}.1`)).toBe(true);
    expect(existsSync(`${path}.2`)).toBe(true);
    expect(existsSync(`${path}.3`)).toBe(false);
    expect(readFileSync(path).length).toBeLessThanOrEqual(2000);
  });
});
