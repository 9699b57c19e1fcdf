import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server as HttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Environment } from '../../src/api/index.js';
import { AssetCache, download, EnvironmentStatusKeeper, pullEnvironment } from '../../src/assets/index.js';
import { defaultSettings } from '../../src/config/index.js';
import { EventBus } from '../../src/events/index.js';
import { runOp, type ImportResult } from '../../src/ops/index.js';
import { openState } from '../../src/state.js';
import type { OpenedStore } from '../../src/store/index.js';
import { isMetalboxError } from '../../src/util/errors.js';

let dir: string;
let opened: OpenedStore;
let events: EventBus;
const sha = (b: Buffer) => createHash('sha512').update(b).digest('hex');

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), `mbx-assets-${process.pid}-`));
  events = new EventBus();
  opened = await openState({ dataDir: dir, settings: defaultSettings(), events });
});
afterEach(async () => {
  await opened.close();
  events.close();
  await rm(dir, { recursive: true, force: true });
});

/** A one-shot CLI process's context (no running appliance). */
const ctx = () => ({ store: opened.store, events, settings: defaultSettings(), dataDir: dir, services: {} });
const envOf = (name: string) => opened.store.get<Environment>('Environment', name)!;

async function usb(files: Record<string, Buffer | string>): Promise<string> {
  const d = join(dir, `usb-${Math.random().toString(36).slice(2)}`);
  await mkdir(d);
  for (const [n, b] of Object.entries(files)) await writeFile(join(d, n), b);
  return d;
}

describe('metalbox assets import (operation assets.import)', () => {
  it('imports a release folder into default: records the sha512s, the status says Ready', async () => {
    const k = randomBytes(5000);
    const i = randomBytes(9000);
    const d = await usb({ 'vmlinuz-amd64': k, 'initramfs-amd64.xz': i, 'sha512sum.txt': `${sha(k)}  vmlinuz-amd64\n${sha(i)}  initramfs-amd64.xz\n`, 'README': 'unrelated' });
    const r = (await runOp(ctx(), 'assets.import', { paths: [d], env: 'default' })) as ImportResult;
    expect(r.files.map((f) => [f.file.split('/').pop(), f.matched.map((m) => m.asset)])).toEqual([
      ['README', []],
      ['initramfs-amd64.xz', ['initrd']],
      ['vmlinuz-amd64', ['kernel']],
    ]);
    const env = envOf('default');
    expect(env.spec?.kernel?.sha512).toBe(sha(k));
    expect(env.spec?.initrd?.sha512).toBe(sha(i));
    expect(env.status?.conditions?.map((c) => [c.status, c.reason])).toEqual([
      ['True', 'Verified'],
      ['True', 'Verified'],
    ]);
    expect(r.environments).toEqual([expect.objectContaining({ environment: 'default', ready: true })]);
    expect(await readdir(join(dir, 'assets', 'sha512'))).toEqual([sha(i), sha(k)].sort());
  });

  it('refuses a file that contradicts sha512sum.txt, and keeps nothing of it', async () => {
    const k = randomBytes(100);
    const d = await usb({ 'vmlinuz-amd64': k, 'sha512sum.txt': `${'0'.repeat(128)}  vmlinuz-amd64\n` });
    const r = (await runOp(ctx(), 'assets.import', { paths: [d], env: 'default' })) as ImportResult;
    expect(r.files[0]?.problem).toContain('does not match sha512sum.txt');
    expect(envOf('default').spec?.kernel?.sha512).toBe('');
    expect(await readdir(join(dir, 'assets')).catch(() => [])).toEqual([]);
  });

  it('without --env, a Talos kernel name fits several releases: nothing is guessed', async () => {
    const d = await usb({ 'vmlinuz-amd64': randomBytes(100) });
    const r = (await runOp(ctx(), 'assets.import', { paths: [d] })) as ImportResult;
    expect(r.files[0]?.matched).toEqual([]);
    expect(r.files[0]?.problem).toContain('--env');
  });

  it('an unknown Environment or path is a clear error', async () => {
    await expect(runOp(ctx(), 'assets.import', { paths: [dir], env: 'nope' })).rejects.toThrow('environment "nope" not found');
    await expect(runOp(ctx(), 'assets.import', { paths: [join(dir, 'missing')] })).rejects.toThrow(/cannot read/);
  });
});

describe('the status keeper', () => {
  it('re-verifies at start: a cached file changed on disk makes its Environment not ready', async () => {
    const k = randomBytes(2000);
    const d = await usb({ vmlinuz: k, 'initramfs.xz': randomBytes(10) });
    await runOp(ctx(), 'assets.import', { paths: [d], env: 'default' });
    const path = new AssetCache(join(dir, 'assets')).pathOf(sha(k));
    await rm(path, { force: true });
    await writeFile(path, 'tampered');
    const keeper = new EnvironmentStatusKeeper(opened.store, new AssetCache(join(dir, 'assets')), events);
    keeper.start();
    await keeper.idle();
    await keeper.stop();
    const c = envOf('default').status?.conditions?.find((x) => x.sha512 === sha(k));
    expect(c).toMatchObject({ status: 'False', reason: 'ChecksumMismatch' });
    const said = events.recent().map((r) => r.event).filter((e) => e.type === 'assets.status' && e.environment === 'default' && e.asset === 'kernel');
    expect(said.at(-1)).toMatchObject({ ready: false, detail: expect.stringContaining('does not match its sha512') });
  });

  it('a first start says once which Environments lack their files, not once per file; readiness later is announced', async () => {
    const keeper = new EnvironmentStatusKeeper(opened.store, new AssetCache(join(dir, 'assets')), events);
    const from = events.recent().length;
    keeper.start();
    await keeper.idle();
    const said = () => events.recent().slice(from).map((r) => r.event);
    const total = opened.store.list('Environment').length;
    expect(said().filter((e) => e.type === 'assets.status')).toEqual([]);
    const summary = said().filter((e) => e.type === 'assets.summary');
    expect(summary).toEqual([{ type: 'assets.summary', total, ready: [], missing: expect.arrayContaining(['default']) }]);
    // Files arriving later: each asset that became ready is said.
    const d = await usb({ vmlinuz: randomBytes(3000), 'initramfs.xz': randomBytes(10) });
    await runOp({ ...ctx(), services: { assets: { cache: new AssetCache(join(dir, 'assets')), keeper } } }, 'assets.import', { paths: [d], env: 'default' });
    await keeper.refresh(['default']);
    await keeper.stop();
    expect(said().filter((e) => e.type === 'assets.status' && e.environment === 'default' && e.ready).length).toBeGreaterThanOrEqual(2);
  });
});

describe('pull: download by URL, resumable, verified', () => {
  let server: HttpServer | undefined;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  /** A release server that cuts the first download of each file in the middle. */
  async function release(files: Record<string, Buffer>): Promise<{ base: string; ranges: string[] }> {
    const ranges: string[] = [];
    const cut = new Set<string>();
    server = createServer((req, res) => {
      const name = req.url!.split('/').pop()!;
      const body = files[name];
      if (!body) return void res.writeHead(404).end();
      const range = req.headers.range;
      ranges.push(`${name} ${range ?? 'all'}`);
      const start = range ? Number(/bytes=(\d+)-/.exec(range)![1]) : 0;
      const etag = `"${name}-v1"`;
      if (range && req.headers['if-range'] === etag) {
        res.writeHead(206, { 'content-length': body.length - start, 'content-range': `bytes ${start}-${body.length - 1}/${body.length}`, etag });
        return void res.end(body.subarray(start));
      }
      res.writeHead(200, { 'content-length': body.length, etag });
      if (!cut.has(name) && body.length > 1000) {
        cut.add(name);
        // The first 1000 bytes, then the connection ends (FIN, so they arrive) short of Content-Length.
        return void res.write(body.subarray(0, 1000), () => res.socket?.end());
      }
      res.end(body);
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    return { base: `http://127.0.0.1:${port}/v9.9.9`, ranges };
  }

  it('resumes where a dropped download stopped, and checks the release sha512sum.txt', async () => {
    const k = randomBytes(300_000);
    const i = randomBytes(200_000);
    const { base, ranges } = await release({ 'vmlinuz-amd64': k, 'initramfs-amd64.xz': i, 'sha512sum.txt': Buffer.from(`${sha(k)}  vmlinuz-amd64\n${sha(i)}  initramfs-amd64.xz\n`) });
    await opened.store.create({ apiVersion: 'metal.sidero.dev/v1alpha2', kind: 'Environment', metadata: { name: 'lab' }, spec: { kernel: { url: `${base}/vmlinuz-amd64`, args: [] }, initrd: { url: `${base}/initramfs-amd64.xz` } } });
    const cache = new AssetCache(join(dir, 'assets'));
    const deps = { downloadsDir: cache.downloadsDir, isCached: () => false };
    await expect(pullEnvironment(envOf('lab'), deps)).rejects.toThrow(/downloading .*vmlinuz-amd64 stopped at 1000 of 300000 bytes/);
    await expect(pullEnvironment(envOf('lab'), deps)).rejects.toThrow(/initramfs-amd64.xz stopped at 1000 of 200000 bytes/);
    const plan = await pullEnvironment(envOf('lab'), deps);
    expect(ranges.filter((r) => !r.startsWith('sha512sum'))).toEqual(['vmlinuz-amd64 all', 'vmlinuz-amd64 bytes=1000-', 'initramfs-amd64.xz all', 'initramfs-amd64.xz bytes=1000-']);
    expect(plan.sums).toEqual({ 'vmlinuz-amd64': sha(k), 'initramfs-amd64.xz': sha(i) });
    const r = (await runOp(ctx(), 'assets.import', { paths: plan.files, env: 'lab', sums: plan.sums })) as ImportResult;
    expect(r.environments[0]).toMatchObject({ environment: 'lab', ready: true });
  });

  it('without network: a plain error that points to import', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    let err: unknown;
    try {
      await download(`http://127.0.0.1:${port}/vmlinuz-amd64`, join(dir, 'k'));
    } catch (e) {
      err = e;
    }
    expect(isMetalboxError(err, 'ASSETS_NO_NETWORK')).toBe(true);
    expect((err as Error).message).toBe(`cannot reach 127.0.0.1:${port} (ECONNREFUSED): no network, or no route to it`);
    expect(isMetalboxError(err) && err.hint).toContain('metalbox assets import');
  });
});
