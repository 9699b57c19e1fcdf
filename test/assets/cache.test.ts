import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Environment } from '../../src/api/index.js';
import { AssetCache, assetConditions, assetStates, matchImport, parseSumsFile, readinessOf, urlFileName } from '../../src/assets/index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), `mbx-assets-${process.pid}-`));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const sha = (b: Buffer) => createHash('sha512').update(b).digest('hex');

describe('the content-addressed cache', () => {
  it('stores a file under its sha512 and knows it verified', async () => {
    const data = randomBytes(3 << 20);
    await writeFile(join(dir, 'k'), data);
    const cache = new AssetCache(join(dir, 'assets'));
    const got = await cache.addFile(join(dir, 'k'));
    expect(got.sha512).toBe(sha(data));
    expect(got.size).toBe(data.length);
    expect(got.path).toBe(join(dir, 'assets', 'sha512', sha(data)));
    expect(cache.state(sha(data))).toBe('verified');
    expect((await readdir(join(dir, 'assets', 'sha512'))).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('a fresh process re-hashes before trusting: verified, missing, or corrupt', async () => {
    const data = randomBytes(1000);
    await writeFile(join(dir, 'k'), data);
    await new AssetCache(join(dir, 'assets')).addFile(join(dir, 'k'));
    const later = new AssetCache(join(dir, 'assets'));
    expect(later.state(sha(data))).toBe('unchecked');
    expect(await later.verify(sha(data))).toBe('verified');
    expect(await later.verify('0'.repeat(128))).toBe('missing');
    const path = later.pathOf(sha(data));
    await chmod(path, 0o644);
    await writeFile(path, Buffer.concat([data, Buffer.from('x')]));
    expect(await new AssetCache(join(dir, 'assets')).verify(sha(data))).toBe('corrupt');
  });

  it('refuses names that are not sha512 sums (nothing can reach outside the cache)', () => {
    expect(() => new AssetCache(dir).pathOf('../../etc/passwd')).toThrow(/not a sha512/);
  });
});

const env = (name: string, kernel: { url?: string; sha512?: string }, initrd?: { url?: string; sha512?: string }): Environment => ({
  apiVersion: 'metal.sidero.dev/v1alpha2',
  kind: 'Environment',
  metadata: { name },
  spec: { kernel: { ...kernel, args: [] }, ...(initrd ? { initrd } : {}) },
});
const A = 'a'.repeat(128);
const B = 'b'.repeat(128);
const REL = 'https://github.com/siderolabs/talos/releases/download';

describe('matching imported files to Environments', () => {
  const envs = [
    env('default', { url: `${REL}/v1.13.9/vmlinuz-amd64` }, { url: `${REL}/v1.13.9/initramfs-amd64.xz` }),
    env('talos-1.13-amd64', { url: `${REL}/v1.13.9/vmlinuz-amd64` }, { url: `${REL}/v1.13.9/initramfs-amd64.xz` }),
    env('talos-1.12-amd64', { url: `${REL}/v1.12.11/vmlinuz-amd64` }, { url: `${REL}/v1.12.11/initramfs-amd64.xz` }),
    env('pinned', { url: `${REL}/v1.11.0/vmlinuz-amd64`, sha512: A }, { sha512: B }),
  ];

  it('by sha512 when the Environment gives one, whatever the file is called', () => {
    expect(matchImport({ name: 'anything', sha512: A }, envs).matched).toEqual([{ environment: 'pinned', asset: 'kernel', by: 'sha512' }]);
    expect(matchImport({ name: 'x', sha512: B }, envs).matched).toEqual([{ environment: 'pinned', asset: 'initrd', by: 'sha512' }]);
  });

  it('by the file name of the URL; the same URL in several Environments matches them all', () => {
    const only113 = envs.filter((e) => e.metadata.name !== 'talos-1.12-amd64');
    expect(matchImport({ name: 'initramfs-amd64.xz', sha512: 'c'.repeat(128) }, only113).matched.map((m) => `${m.environment} ${m.asset}`)).toEqual([
      'default initrd',
      'talos-1.13-amd64 initrd',
    ]);
  });

  it('a name that fits Environments with different URLs is ambiguous: asks for --env', () => {
    const r = matchImport({ name: 'vmlinuz-amd64', sha512: 'c'.repeat(128) }, envs);
    expect(r.matched).toEqual([]);
    expect(r.problem).toContain('--env');
    expect(matchImport({ name: 'vmlinuz-amd64', sha512: 'c'.repeat(128) }, [envs[2]!]).matched).toEqual([{ environment: 'talos-1.12-amd64', asset: 'kernel', by: 'name' }]);
  });

  it('the served names (vmlinuz, initramfs.xz) fit any Environment without a sha512', () => {
    expect(matchImport({ name: 'vmlinuz', sha512: 'c'.repeat(128) }, [envs[0]!]).matched).toEqual([{ environment: 'default', asset: 'kernel', by: 'name' }]);
  });

  it('a file named like a pinned asset but with other contents is refused, saying why', () => {
    const r = matchImport({ name: 'vmlinuz-amd64', sha512: 'c'.repeat(128) }, [envs[3]!]);
    expect(r.matched).toEqual([]);
    expect(r.problem).toContain('not the expected file');
  });

  it('checks a sha512sum.txt beside the files first', () => {
    const sums = parseSumsFile(`${'d'.repeat(128)}  vmlinuz-amd64\n${'e'.repeat(128)} *initramfs-amd64.xz\nnot a line\n`);
    expect([...sums]).toEqual([['vmlinuz-amd64', 'd'.repeat(128)], ['initramfs-amd64.xz', 'e'.repeat(128)]]);
    expect(matchImport({ name: 'vmlinuz-amd64', sha512: 'c'.repeat(128) }, [envs[0]!], sums).problem).toContain('does not match sha512sum.txt');
  });

  it('file names of URLs', () => {
    expect(urlFileName(`${REL}/v1.13.9/vmlinuz-amd64`)).toBe('vmlinuz-amd64');
    expect(urlFileName('http://x/a%20b?q=1')).toBe('a b');
    expect(urlFileName('not a url')).toBe('');
  });
});

describe('readiness', () => {
  const e = env('e', { url: 'http://x/vmlinuz', sha512: A }, { url: 'http://x/initrd', sha512: '' });
  it('every asset must be cached and verified; the reason says what to do', () => {
    const states = assetStates(e, (s) => (s === A ? 'verified' : 'missing'));
    expect(states.map((s) => [s.asset, s.ready, s.reason])).toEqual([
      ['kernel', true, 'Verified'],
      ['initrd', false, 'NotImported'],
    ]);
    const r = readinessOf(states);
    expect(r.ready).toBe(false);
    expect(r.reason).toContain('metalbox assets pull e');
    expect(assetConditions(states)[0]).toEqual({ type: 'Ready', status: 'True', url: 'http://x/vmlinuz', sha512: A, reason: 'Verified', message: 'kernel cached and its sha512 verified' });
  });
  it('corrupt, missing and not yet checked files are not ready', () => {
    for (const [state, reason] of [['corrupt', 'ChecksumMismatch'], ['missing', 'NotCached'], ['unchecked', 'Verifying']] as const) {
      expect(assetStates(env('e', { sha512: A }), () => state)[0]?.reason).toBe(reason);
    }
    expect(assetStates(env('e', {}), () => 'verified')[0]?.reason).toBe('NoAsset');
  });
});
