/**
 * `/ipxe` latency with 1,000 Servers in the store: every request reads a handful of objects by name and
 * decides (here: park, the answer most requests get: parked machines ask every 30 s). Measured from a
 * keep-alive client, one request at a time and 8 at a time, over all 1,000 machines in random order,
 * after one warm-up pass (discovery's first refresh); 20,000 requests each, so the p99 is the 200th worst
 * and not a handful of scheduler hiccups. The same client fetching a static iPXE script of
 * the same size from nginx in the same run gives the floor of the loopback round trip.
 *
 *   node --import tsx bench/http/ipxe.bench.ts [--requests 20000] [--servers 1000]
 */
import { Agent, request } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { bigFile, rssOf, startMetalboxHttp, startNginx, type Running } from './peers.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const REQUESTS = arg('requests', 20000);
const SERVERS = arg('servers', 1000);

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

function get(port: number, path: string): Promise<{ ms: number; status: number; bytes: number }> {
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6, status: res.statusCode ?? 0, bytes }));
    })
      .on('error', reject)
      .end();
  });
}

function query(i: number): string {
  const hex = i.toString(16).padStart(12, '0');
  const mac = hex.match(/../g)!.join('-');
  return `/ipxe?uuid=00000000-0000-4000-8000-${hex}&mac=${mac}&macs=${mac},&nic=net0&arch=x86_64&platform=efi&manufacturer=Bench&product=Unit&serial=S${i}`;
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

async function measure(port: number, paths: string[], concurrency: number): Promise<number[]> {
  const out: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const r = await get(port, paths[next++]!);
      if (r.status !== 200) throw new Error(`status ${r.status}`);
      out.push(r.ms);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return out;
}

const running: Running[] = [];
const dir = await mkdtemp(join(tmpdir(), 'mbx-bench-ipxe-'));
try {
  const assets = join(dir, 'usb');
  await mkdir(assets);
  await bigFile(join(assets, 'initramfs.xz'), 1);
  await bigFile(join(assets, 'vmlinuz'), 1);
  const metalbox = await startMetalboxHttp(join(dir, 'data'), assets, SERVERS);
  running.push(metalbox);
  const first = await get(metalbox.port, query(0));
  const www = join(dir, 'www');
  await mkdir(www);
  await writeFile(join(www, 'park.ipxe'), 'x'.repeat(first.bytes));
  const nginx = await startNginx(dir, www);
  running.push(nginx);
  for (let i = 0; i < SERVERS; i++) await get(metalbox.port, query(i));
  const order = Array.from({ length: REQUESTS }, () => query(Math.floor(Math.random() * SERVERS)));
  const staticPaths = order.map(() => '/park.ipxe');
  console.log(`${SERVERS} Servers in the store, ${REQUESTS} requests per measure, load average ${loadavg()[0]!.toFixed(1)}`);
  for (const c of [1, 8]) {
    await measure(nginx.port, staticPaths.slice(0, 500), c);
    const m = await measure(metalbox.port, order, c);
    const n = await measure(nginx.port, staticPaths, c);
    console.log(
      `concurrency ${c}: metalbox /ipxe p50 ${pct(m, 50).toFixed(2)} ms, p99 ${pct(m, 99).toFixed(2)} ms (target < 5 ms); ` +
        `nginx static script p50 ${pct(n, 50).toFixed(2)} ms, p99 ${pct(n, 99).toFixed(2)} ms; p99 ratio ${(pct(m, 99) / pct(n, 99)).toFixed(1)}`,
    );
  }
  console.log(`metalbox RSS with ${SERVERS} Servers: peak ${(await rssOf(metalbox.pid)).peakMb.toFixed(0)} MB`);
  agent.destroy();
} finally {
  // Stopped also when a round fails, so no server outlives the benchmark.
  for (const r of running) await r.stop();
  await rm(dir, { recursive: true, force: true });
}
