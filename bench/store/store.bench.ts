/**
 * Store benchmark (issue: foundation). With 1,000 Servers with full hardware in the store:
 * - one update awaited to durability: p99 < 50 ms
 * - 1,000 updates issued at once, each awaiting its own durability: all resolved in < 2 s
 * - the event loop never blocked > 50 ms meanwhile (perf_hooks.monitorEventLoopDelay)
 * - cold start (open + read + check 1,000 servers) to ready: < 500 ms
 * Side by side, the floor any durable JSON store pays: the same state file's bytes written with plain fs
 * (temp file, fsync, rename, fsync the directory), so the ratio says what the store adds on this disk.
 */
import { closeSync, fsyncSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { openStore } from '../../src/store/index.js';
import { fullServer } from './servers.js';

const N = 1000;
const isNamespaced = (k: string) => !['Server', 'ServerClass', 'Environment', 'ServerBinding'].includes(k);

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const dir = mkdtempSync(join(tmpdir(), 'mbx-bench-store-'));
try {
  let opened = await openStore({ dataDir: dir, isNamespaced });
  await Promise.all(Array.from({ length: N }, (_, i) => opened.store.create(fullServer(i))));
  await opened.close();

  const t0 = performance.now();
  opened = await openStore({ dataDir: dir, isNamespaced });
  const coldStart = performance.now() - t0;
  const store = opened.store;
  const names = store.list('Server').map((s) => s.metadata.name);

  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const single: number[] = [];
  for (let i = 0; i < 200; i++) {
    const s = performance.now();
    await store.mutate('Server', names[i % N]!, undefined, (o) => void (o.metadata.labels = { ...o.metadata.labels, touched: String(i) }));
    single.push(performance.now() - s);
  }
  const b0 = performance.now();
  await Promise.all(names.map((n, i) => store.mutate('Server', n, undefined, (o) => void (o.metadata.labels = { ...o.metadata.labels, burst: String(i) }))));
  const burst = performance.now() - b0;
  h.disable();
  await opened.close();

  // The floor: the same bytes, written durably by hand, one after another.
  const bytes = readFileSync(join(dir, 'state.json'));
  const floor: number[] = [];
  for (let i = 0; i < 200; i++) {
    const s = performance.now();
    const tmp = join(dir, `floor.tmp`);
    const fd = openSync(tmp, 'w', 0o600);
    writeSync(fd, bytes);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, join(dir, 'floor.json'));
    const d = openSync(dir, 'r');
    fsyncSync(d);
    closeSync(d);
    floor.push(performance.now() - s);
  }

  const rows: [string, string, string][] = [
    ['single update awaited, p50', `${pct(single, 50).toFixed(1)} ms`, ''],
    ['single update awaited, p99', `${pct(single, 99).toFixed(1)} ms`, '< 50 ms'],
    [`plain durable write of the ${(bytes.length / 1e6).toFixed(1)} MB file, p50`, `${pct(floor, 50).toFixed(1)} ms`, `store/plain ${(pct(single, 50) / pct(floor, 50)).toFixed(2)}x`],
    ['plain durable write, p99', `${pct(floor, 99).toFixed(1)} ms`, `store/plain ${(pct(single, 99) / pct(floor, 99)).toFixed(2)}x`],
    ['1,000 concurrent updates, all durable', `${burst.toFixed(0)} ms`, '< 2000 ms'],
    ['event loop max delay during the above', `${(h.max / 1e6).toFixed(1)} ms`, '< 50 ms'],
    ['cold start with 1,000 servers', `${coldStart.toFixed(0)} ms`, '< 500 ms'],
  ];
  console.log(`store benchmark, ${N} Servers with full hardware (state file in ${tmpdir()})`);
  for (const [what, value, target] of rows) console.log(`  ${what.padEnd(42)} ${value.padStart(10)}   ${target}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
