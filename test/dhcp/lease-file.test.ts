import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LeaseWriter, formatLeaseFile, parseLeaseFile, readLeaseFile } from '../../src/dhcp/lease-file.js';
import { LeaseTable, type Lease } from '../../src/dhcp/leases.js';
import { isMetalboxError } from '../../src/util/errors.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mbx-dhcp-leases-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const leases: Lease[] = [
  { mac: '02:00:00:00:00:0a', address: '10.78.0.100', expires: Date.parse('2030-01-01T00:00:00Z'), hostname: 'a' },
  { mac: '02:00:00:00:00:0b', address: '10.78.0.101', expires: Date.parse('2020-01-01T00:00:00Z') },
];

describe('lease file', () => {
  it('writes and reads back the same leases', async () => {
    const path = join(dir, 'dhcp-leases.json');
    await writeFile(path, formatLeaseFile(leases));
    expect(await readLeaseFile(path)).toEqual(leases);
  });

  it('treats a missing file as an empty table', async () => {
    expect(await readLeaseFile(join(dir, 'none.json'))).toEqual([]);
  });

  it('refuses a damaged file with a hint, and leaves it untouched', async () => {
    const path = join(dir, 'dhcp-leases.json');
    await writeFile(path, '{"version": 1, "leases": [{"mac": "zz"');
    const err = await readLeaseFile(path).catch((e: unknown) => e);
    expect(isMetalboxError(err, 'DHCP_LEASES_CORRUPT')).toBe(true);
    expect((err as Error & { hint: string }).hint).toMatch(/mv .*dhcp-leases\.json/);
    expect(await readFile(path, 'utf8')).toBe('{"version": 1, "leases": [{"mac": "zz"');
  });

  it.each([
    ['not JSON', 'nope', /not JSON/],
    ['wrong version', '{"version": 2, "leases": []}', /version/],
    ['bad MAC', '{"version":1,"leases":[{"mac":"x","address":"10.0.0.1","expires":"2030-01-01T00:00:00Z"}]}', /lease 0: bad mac/],
    ['bad address', '{"version":1,"leases":[{"mac":"02:00:00:00:00:01","address":"10.0.0","expires":"2030-01-01T00:00:00Z"}]}', /bad address/],
    ['bad expiry', '{"version":1,"leases":[{"mac":"02:00:00:00:00:01","address":"10.0.0.1","expires":"soon"}]}', /bad expires/],
  ])('says what is wrong: %s', (_n, text, want) => {
    expect(parseLeaseFile(text)).toMatch(want);
  });

  it('group-commits: a burst of saves costs a few writes and the file ends with the last state', async () => {
    const path = join(dir, 'dhcp-leases.json');
    const table = new LeaseTable({ range: { start: '10.0.0.1', end: '10.0.3.254' }, reservations: [], excluded: [] });
    const writer = new LeaseWriter(path, () => table.all());
    const saves: Promise<void>[] = [];
    for (let i = 0; i < 200; i++) {
      const mac = `02:00:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`;
      table.commit(mac, table.chooseAddress(mac)!, 600);
      saves.push(writer.save());
    }
    await Promise.all(saves);
    expect(writer.writes).toBeLessThan(20);
    expect((await readLeaseFile(path)).length).toBe(200);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a save resolves only after a write that includes the change', async () => {
    const path = join(dir, 'dhcp-leases.json');
    const table = new LeaseTable({ range: { start: '10.0.0.1', end: '10.0.0.9' }, reservations: [], excluded: [] });
    const writer = new LeaseWriter(path, () => table.all());
    const first = writer.save();
    table.commit('02:00:00:00:00:01', '10.0.0.5', 600);
    await writer.save();
    expect((await readLeaseFile(path)).map((l) => l.address)).toEqual(['10.0.0.5']);
    await first;
  });
});

describe('lease table loading', () => {
  it('skips leases that no longer fit the range or the reservations', () => {
    const table = new LeaseTable({
      range: { start: '10.78.0.100', end: '10.78.0.200' },
      reservations: [{ mac: '02:00:00:00:00:99', address: '10.78.0.101' }],
      excluded: [],
    });
    const { loaded, skipped } = table.load([...leases, { mac: '02:00:00:00:00:0c', address: '10.1.1.1', expires: Date.now() + 1e6 }]);
    expect(loaded).toBe(1);
    expect(skipped.map((l) => l.address)).toEqual(['10.78.0.101', '10.1.1.1']);
  });
});
