/**
 * Cold start to ready (issue: foundation, target < 500 ms) with 1,000 Servers with full hardware in the
 * store: a fresh `metalbox serve` process from spawn to "started", side by side with the same process on
 * an empty data directory (the fixed cost of Node and the modules). Needs a build (`npm run build`).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.js';
import { fullServer } from '../store/servers.js';

const root = join(import.meta.dirname, '../..');
if (!existsSync(join(root, 'dist/main.js'))) {
  console.error('build first: npm run build');
  process.exit(2);
}
const isNamespaced = (k: string) => !['Server', 'ServerClass', 'Environment', 'ServerBinding'].includes(k);

function startOnce(dataDir: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [join(root, 'bin/metalbox.js'), 'serve', '--data-dir', dataDir, '--set', 'dhcp.mode=off', '--set', `tftp.port=${port}`, '--set', `http.port=${port + 1}`, '--set', `talos.eventsPort=${port + 2}`, '--set', `talos.kernelLogPort=${port + 3}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const early = (code: number | null) => reject(new Error(`exited ${code}: ${out}`));
    child.stdout.on('data', (d) => {
      out += d;
      if (/metalbox \S+ started/.test(out)) {
        const ms = performance.now() - t0;
        child.off('exit', early);
        child.kill('SIGTERM');
        child.once('exit', () => resolve(ms));
      }
    });
    child.once('exit', early);
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const full = mkdtempSync(join(tmpdir(), 'mbx-bench-start-'));
const empty = mkdtempSync(join(tmpdir(), 'mbx-bench-start0-'));
try {
  const o = await openStore({ dataDir: full, isNamespaced });
  await Promise.all(Array.from({ length: 1000 }, (_, i) => o.store.create(fullServer(i))));
  await o.close();
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < 5; i++) {
    b.push(await startOnce(empty, 30000 + i * 8));
    a.push(await startOnce(full, 30004 + i * 8));
  }
  console.log('cold start, spawn to "started" (dhcp off), median of 5');
  console.log(`  1,000 Servers   ${median(a).toFixed(0).padStart(5)} ms   (runs ${a.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`  empty store     ${median(b).toFixed(0).padStart(5)} ms   (runs ${b.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`  cost of the 1,000 Servers: ${(median(a) - median(b)).toFixed(0)} ms (target: ready < 500 ms)`);
} finally {
  rmSync(full, { recursive: true, force: true });
  rmSync(empty, { recursive: true, force: true });
}
