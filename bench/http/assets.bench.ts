/**
 * 16 clients at once downloading a 100 MB initramfs: Metalbox's `/env/default/initramfs.xz` vs nginx
 * serving the same file (sendfile on) in the same run. Clients are curl processes (the same for both);
 * rounds alternate between the servers and the medians are compared. Also Metalbox's peak RSS.
 *
 *   node --import tsx bench/http/assets.bench.ts [--mb 100] [--clients 16] [--rounds 3]
 */
import { spawn } from 'node:child_process';
import { link, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bigFile, median, rssOf, rssOfTree, startMetalboxHttp, startNginx, type Running } from './peers.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const MB = arg('mb', 100);
const CLIENTS = arg('clients', 16);
const ROUNDS = arg('rounds', 3);

function curl(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const c = spawn('curl', ['-s', '-f', '-o', '/dev/null', '-w', '%{size_download}', url]);
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.on('exit', (code) => (code === 0 ? resolve(Number(out)) : reject(new Error(`curl ${url} exited ${code}`))));
  });
}

/** All clients at once; aggregate MB/s over the wall time. */
async function round(url: string): Promise<number> {
  const t0 = process.hrtime.bigint();
  const sizes = await Promise.all(Array.from({ length: CLIENTS }, () => curl(url)));
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const bytes = sizes.reduce((a, b) => a + b, 0);
  if (bytes !== CLIENTS * MB * 1024 * 1024) throw new Error(`short downloads from ${url}: ${bytes} bytes`);
  return bytes / 1e6 / s;
}

const running: Running[] = [];
const dir = await mkdtemp(join(tmpdir(), 'mbx-bench-http-'));
try {
  const assets = join(dir, 'usb');
  await mkdir(assets);
  await bigFile(join(assets, 'initramfs.xz'), MB);
  await bigFile(join(assets, 'vmlinuz'), 1);
  const www = join(dir, 'www');
  await mkdir(www);
  await link(join(assets, 'initramfs.xz'), join(www, 'initramfs.xz'));
  const metalbox = await startMetalboxHttp(join(dir, 'data'), assets, 0);
  running.push(metalbox);
  const nginx = await startNginx(dir, www);
  running.push(nginx);
  const mbUrl = `http://127.0.0.1:${metalbox.port}/env/default/initramfs.xz`;
  const ngUrl = `http://127.0.0.1:${nginx.port}/initramfs.xz`;
  await round(mbUrl);
  await round(ngUrl);
  const mine: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    mine.push(await round(mbUrl));
    theirs.push(await round(ngUrl));
  }
  const rss = await rssOf(metalbox.pid);
  const nginxRss = await rssOfTree(nginx.pid);
  const [m, n] = [median(mine), median(theirs)];
  console.log(`${CLIENTS} clients x ${MB} MB, ${ROUNDS} rounds each (alternating), load average ${(await import('node:os')).loadavg()[0]!.toFixed(1)}`);
  console.log(`metalbox: ${m.toFixed(0)} MB/s aggregate (rounds ${mine.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`nginx:    ${n.toFixed(0)} MB/s aggregate (rounds ${theirs.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`ratio metalbox/nginx: ${(m / n).toFixed(2)} (target >= 0.6)`);
  console.log(`metalbox RSS: peak ${rss.peakMb.toFixed(0)} MB, now ${rss.nowMb.toFixed(0)} MB (target < 200 MB); nginx master+workers now ${nginxRss.toFixed(0)} MB`);
} finally {
  // Stopped also when a round fails, so no server outlives the benchmark.
  for (const r of running) await r.stop();
  await rm(dir, { recursive: true, force: true });
}
