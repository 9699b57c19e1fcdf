/**
 * `metalbox assets status [ENV]`, `metalbox assets import FILE|DIR... [--env NAME]` and
 * `metalbox assets pull ENV`. Pull downloads in this process (so it can show progress, and resume when
 * run again), then hands the files to the instance's `assets.import`, which verifies and records them.
 */
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Environment } from '../api/index.js';
import { AssetCache, pullEnvironment, type Progress } from '../assets/index.js';
import type { EnvironmentAssets, ImportResult } from '../ops/index.js';
import { withCli, type GlobalOptions } from './context.js';
import { formatTable } from './table.js';

export interface AssetsCliIo {
  out: (text: string) => void;
  /** Progress goes here (standard error). */
  progress: (text: string) => void;
  /** Redraw progress in place (a terminal) or print a line every 10%. */
  tty: boolean;
}

const defaultIo = (): AssetsCliIo => ({
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  progress: (t) => process.stderr.write(t),
  tty: process.stderr.isTTY === true,
});

const mb = (n: number) => (n / 1e6).toFixed(1);

/** One progress line: `vmlinuz-amd64 [#####.....] 45% 40.1/89.0 MB 12.3 MB/s`. */
export function progressLine(p: Progress, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? ((p.received - p.resumedFrom) / elapsedMs) * 1000 : 0;
  if (p.total === undefined) return `${p.file} ${mb(p.received)} MB ${mb(rate)} MB/s`;
  const frac = p.total === 0 ? 1 : p.received / p.total;
  const bar = '#'.repeat(Math.round(frac * 20)).padEnd(20, '.');
  return `${p.file} [${bar}] ${Math.floor(frac * 100)}% ${mb(p.received)}/${mb(p.total)} MB ${mb(rate)} MB/s`;
}

function progressReporter(io: AssetsCliIo): (p: Progress) => void {
  let file = '';
  let started = 0;
  let lastDraw = 0;
  let lastTenth = -1;
  return (p) => {
    const now = Date.now();
    if (p.file !== file) {
      file = p.file;
      started = now;
      lastTenth = -1;
    }
    const done = p.total !== undefined && p.received >= p.total;
    if (io.tty) {
      if (now - lastDraw < 100 && !done) return;
      lastDraw = now;
      io.progress(`\r${progressLine(p, now - started)}\u001b[K${done ? '\n' : ''}`);
      return;
    }
    const tenth = p.total ? Math.floor((p.received / p.total) * 10) : -1;
    if (tenth > lastTenth) {
      lastTenth = tenth;
      io.progress(`${progressLine(p, now - started)}\n`);
    }
  };
}

export function describeEnvironments(envs: readonly EnvironmentAssets[]): string {
  const rows = envs.map((e) => {
    const why = e.assets.filter((a) => !a.ready).map((a) => a.message).join('; ');
    return [e.environment, e.arch ?? '', e.talosVersion ?? '', e.ready ? 'yes' : 'no', e.ready ? '' : why];
  });
  return formatTable(['ENVIRONMENT', 'ARCH', 'TALOS', 'READY', 'REASON'], rows);
}

export function describeImport(r: ImportResult): string {
  const lines = r.files.map((f) => {
    const what = f.matched.length ? f.matched.map((m) => `${m.environment} ${m.asset}`).join(', ') : `not imported: ${f.problem ?? 'no match'}`;
    return `${f.file} (sha512 ${f.sha512.slice(0, 16)}…): ${what}`;
  });
  if (r.environments.length) lines.push('', describeEnvironments(r.environments));
  return lines.join('\n');
}

export function registerAssets(program: Command, io: AssetsCliIo = defaultIo()): Command {
  const assets = program.command('assets').description('Environments\' kernels and initrds: the verified, content-addressed asset cache');
  assets
    .command('status')
    .description('whether each Environment can be booted, and why not')
    .argument('[environment]', 'only this Environment')
    .option('-o, --output <format>', 'text or json', 'text')
    .action(async (env: string | undefined, o: { output: string }, cmd: Command) => {
      const envs = await withCli(cmd.optsWithGlobals<GlobalOptions>(), (ctx) => ctx.call<EnvironmentAssets[]>('assets.status', env ? { env } : {}));
      io.out(o.output === 'json' ? JSON.stringify(envs, null, 2) : describeEnvironments(envs));
    });
  assets
    .command('import')
    .description('copy a kernel and initrd (files, or folders holding them) into the cache: matched by sha512, else by the file name of the Environment\'s URL')
    .argument('<paths...>', 'files or folders (a sha512sum.txt beside them is checked)')
    .option('--env <name>', 'only this Environment')
    .option('-o, --output <format>', 'text or json', 'text')
    .addHelpText('after', '\nExample (air-gapped, files from the Talos release on a USB stick):\n  metalbox assets import /media/usb/talos-v1.13.9 --env default')
    .action(async (paths: string[], o: { env?: string; output: string }, cmd: Command) => {
      const abs = paths.map((p) => resolve(p));
      const r = await withCli(cmd.optsWithGlobals<GlobalOptions>(), (ctx) => ctx.call<ImportResult>('assets.import', { paths: abs, ...(o.env ? { env: o.env } : {}) }));
      io.out(o.output === 'json' ? JSON.stringify(r, null, 2) : describeImport(r));
      if (r.files.some((f) => f.matched.length === 0)) process.exitCode = 1;
    });
  assets
    .command('pull')
    .description('download an Environment\'s kernel and initrd from its URLs (resumes; needs network), verify and import them')
    .argument('<environment>', 'the Environment')
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const r = await withCli(cmd.optsWithGlobals<GlobalOptions>(), async (ctx) => {
        const [env] = await ctx.call<Environment[]>('resources.get', { kind: 'Environment', name });
        const [st] = await ctx.call<EnvironmentAssets[]>('assets.status', { env: name });
        const cached = new Set((st?.assets ?? []).filter((a) => a.ready).map((a) => a.sha512));
        const cache = AssetCache.forDataDir(ctx.dataDir);
        const plan = await pullEnvironment(env!, { downloadsDir: cache.downloadsDir, isCached: (sha) => cached.has(sha), onProgress: progressReporter(io) });
        if (plan.files.length === 0) return { files: [], environments: st ? [st] : [] };
        const result = await ctx.call<ImportResult>('assets.import', { paths: plan.files, env: name, sums: plan.sums });
        await rm(join(cache.downloadsDir, name), { recursive: true, force: true });
        return result;
      });
      io.out(r.files.length === 0 ? `${name}: already cached and verified` : describeImport(r));
    });
  return assets;
}
