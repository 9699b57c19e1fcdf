import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { tempDir } from './helpers.js';

const t = tempDir('mbx-durable-');
afterAll(() => t.cleanup());

/** Run the burst writer, kill it with SIGKILL after `ms`, and return the writes it saw acknowledged. */
function runAndKill(ms: number, round: number): Promise<{ created: Set<string>; counters: Map<string, number> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures/burst-writer.ts'), t.dir, String(round)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const created = new Set<string>();
    const counters = new Map<string, number>();
    let buf = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const line of lines) {
        if (line === 'ready') setTimeout(() => child.kill('SIGKILL'), ms);
        const [word, name, count] = line.split(' ');
        if (word !== 'ack') continue;
        if (count) counters.set(name!, Math.max(counters.get(name!) ?? 0, Number(count)));
        else created.add(name!);
      }
    });
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited ${code}: ${stderr}`));
      else resolve({ created, counters });
    });
  });
}

describe('durability under SIGKILL', () => {
  it('the file always parses and holds every acknowledged write (20 random kills)', async () => {
    let totalAcked = 0;
    for (let round = 0; round < 20; round++) {
      const acked = await runAndKill(20 + Math.floor(Math.random() * 200), round);
      const text = readFileSync(join(t.dir, 'state.json'), 'utf8');
      const state = JSON.parse(text) as { objects: { metadata: { name: string }; spec: { count?: number } }[] };
      const onDisk = new Map(state.objects.map((o) => [o.metadata.name, o]));
      for (const name of acked.created) expect(onDisk.has(name), `acknowledged ${name} missing after kill in round ${round}`).toBe(true);
      for (const [name, count] of acked.counters) {
        expect(onDisk.get(name)?.spec.count ?? -1, `${name} lost an acknowledged update`).toBeGreaterThanOrEqual(count);
      }
      totalAcked += acked.created.size;
    }
    expect(totalAcked).toBeGreaterThan(0);
    // The killed writer left its lock behind: the next owner takes it over and says so.
    const notes: string[] = [];
    const opened = await openStore({ dataDir: t.dir, isNamespaced: () => false, onNote: (n) => notes.push(n) });
    expect(notes.join('\n')).toMatch(/took over the lock of pid \d+, which is no longer running/);
    await opened.close();
  }, 120_000);
});
