#!/usr/bin/env node
// Runs the benchmarks: every bench/<room>/*.bench.ts (or those whose path contains the given words).
// Each benchmark prints its own report; numbers are collected by hand into BENCHMARKS.md.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const filters = process.argv.slice(2);
const found = [];
for (const room of readdirSync(here)) {
  const dir = join(here, room);
  if (!statSync(dir).isDirectory()) continue;
  for (const f of readdirSync(dir)) if (f.endsWith('.bench.ts')) found.push(join(dir, f));
}
const chosen = found.filter((f) => filters.length === 0 || filters.some((w) => f.includes(w))).sort();
if (chosen.length === 0) {
  console.error(`no benchmark matches ${filters.join(' ')}; available:\n  ${found.map((f) => relative(here, f)).join('\n  ')}`);
  process.exit(2);
}
let failed = 0;
for (const f of chosen) {
  console.log(`\n=== ${relative(here, f)} ===`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', f], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
