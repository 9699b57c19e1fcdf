/**
 * Store benchmark (issue: foundation). With 1,000 Servers with full hardware in the store:
 * - one update awaited to durability: p99 < 50 ms
 * - 1,000 updates issued at once, each awaiting its own durability: all resolved in < 2 s
 * - the event loop never blocked > 50 ms meanwhile (perf_hooks.monitorEventLoopDelay)
 * - cold start (open + read + check 1,000 servers) to ready: < 500 ms
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { openStore } from '../../src/store/index.js';
import type { Resource } from '../../src/api/meta.js';

const N = 1000;
const isNamespaced = (k: string) => !['Server', 'ServerClass', 'Environment', 'ServerBinding'].includes(k);

function fullServer(i: number): Resource {
  const uuid = `4c4c4544-0000-1000-8000-${i.toString(16).padStart(12, '0')}`;
  return {
    apiVersion: 'metal.sidero.dev/v1alpha2',
    kind: 'Server',
    metadata: { name: uuid, labels: { rack: `r${i % 10}`, 'metalbox.dev/arch': 'amd64' } },
    spec: {
      accepted: true,
      hardware: {
        system: { uuid, manufacturer: 'Dell Inc.', productName: 'PowerEdge R640', serialNumber: `SN${i}`, skuNumber: 'SKU', family: 'PowerEdge' },
        compute: {
          totalCoreCount: 32, totalThreadCount: 64, processorCount: 2,
          processors: [0, 1].map((p) => ({ manufacturer: 'Intel', productName: 'Xeon Gold 6230', serialNumber: `CPU${i}-${p}`, speed: 2100, coreCount: 16, threadCount: 32 })),
        },
        memory: {
          totalSize: '384 GB', moduleCount: 12,
          modules: Array.from({ length: 12 }, (_, m) => ({ manufacturer: 'Samsung', productName: 'M393A4K40CB2', serialNumber: `M${i}-${m}`, type: 'DDR4', size: 32768, speed: 2933 })),
        },
        storage: {
          totalSize: '3840 GB', deviceCount: 4,
          devices: Array.from({ length: 4 }, (_, d) => ({ type: 'SSD', size: 960197124096, productName: 'SSDSC2KG960G8', serialNumber: `D${i}-${d}`, name: `sd${'abcd'[d]}`, deviceName: `/dev/sd${'abcd'[d]}`, wwid: `naa.${i}${d}` })),
        },
        network: {
          interfaceCount: 4,
          interfaces: Array.from({ length: 4 }, (_, n) => ({ index: n + 1, name: `eno${n + 1}`, flags: 'up|broadcast|multicast', mtu: 1500, mac: `aa:bb:cc:${(i >> 8) & 255}:${i & 255}:${n}`, addresses: [`10.0.${i % 250}.${n + 1}/24`] })),
        },
      },
    },
  };
}

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

  const rows: [string, string, string][] = [
    ['single update awaited, p50', `${pct(single, 50).toFixed(1)} ms`, ''],
    ['single update awaited, p99', `${pct(single, 99).toFixed(1)} ms`, '< 50 ms'],
    ['1,000 concurrent updates, all durable', `${burst.toFixed(0)} ms`, '< 2000 ms'],
    ['event loop max delay during the above', `${(h.max / 1e6).toFixed(1)} ms`, '< 50 ms'],
    ['cold start with 1,000 servers', `${coldStart.toFixed(0)} ms`, '< 500 ms'],
  ];
  console.log(`store benchmark, ${N} Servers with full hardware (state file in ${tmpdir()})`);
  for (const [what, value, target] of rows) console.log(`  ${what.padEnd(42)} ${value.padStart(10)}   ${target}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
