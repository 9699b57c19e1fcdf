import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Environment, Resource, ServerClass } from '../../src/api/index.js';
import { annotations as A, installRoot, loadProfiles, profilesDir, validateResource } from '../../src/api/index.js';
import { isMetalboxError } from '../../src/util/errors.js';

const profiles = loadProfiles();
const envs = profiles.filter((r): r is Environment => r.kind === 'Environment');
const byName = new Map(profiles.map((r) => [r.metadata.name, r]));

/** Talos's kernel.DefaultArgs by minor version (reference/sidero.md 1.1, reference/talos.md 7). */
function defaultArgs(minor: number): string[] {
  const a = ['init_on_alloc=1', 'slab_nomerge=', 'pti=on', 'consoleblank=0', 'nvme_core.io_timeout=4294967295', 'printk.devkmsg=on'];
  if (minor <= 10) a.push('ima_template=ima-ng', 'ima_appraise=fix', 'ima_hash=sha512');
  if (minor >= 10) a.push('selinux=1');
  if (minor >= 12) a.push('module.sig_enforce=1');
  if (minor >= 13) a.push('proc_mem.force_override=never');
  return a;
}

const CONSOLE: Record<string, string[]> = {
  amd64: ['console=tty0', 'console=ttyS0', 'earlyprintk=ttyS0'],
  arm64: ['console=tty0', 'console=ttyAMA0'],
};

describe('built-in profiles', () => {
  it('load from the installation root whatever the working directory', () => {
    const cwd = process.cwd();
    const elsewhere = mkdtempSync(join(tmpdir(), `api-profiles-${process.pid}-`));
    try {
      process.chdir(elsewhere);
      expect(loadProfiles().length).toBe(profiles.length);
      expect(profilesDir()).toBe(join(installRoot(), 'profiles'));
    } finally {
      process.chdir(cwd);
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('every profile object is valid as it stands, with nothing to default or warn about', () => {
    for (const r of profiles) {
      const v = validateResource(r);
      expect(v.ok, r.metadata.name).toBe(true);
      expect(v.warnings, r.metadata.name).toEqual([]);
      if (v.ok) expect(v.object).toEqual(r);
      expect(r.metadata.annotations?.[A.BUILT_IN], r.metadata.name).toMatch(/\.yaml$/);
    }
  });

  it('hold ServerClass any with empty qualifiers', () => {
    const any = byName.get('any') as ServerClass;
    expect(any.kind).toBe('ServerClass');
    expect(any.spec).toEqual({ qualifiers: {}, selector: {} });
  });

  it('hold one Environment per Talos 1.7 to 1.13 and architecture, with release URLs and the default args of that version', () => {
    for (let minor = 7; minor <= 13; minor++) {
      for (const arch of ['amd64', 'arm64']) {
        const e = byName.get(`talos-1.${minor}-${arch}`) as Environment | undefined;
        expect(e, `talos-1.${minor}-${arch}`).toBeDefined();
        const version = e!.metadata.annotations![A.TALOS_VERSION]!;
        expect(version).toMatch(new RegExp(`^v1\\.${minor}\\.\\d+$`));
        expect(e!.metadata.annotations![A.ARCH]).toBe(arch);
        const base = `https://github.com/siderolabs/talos/releases/download/${version}`;
        expect(e!.spec!.kernel!.url).toBe(`${base}/vmlinuz-${arch}`);
        expect(e!.spec!.initrd!.url).toBe(`${base}/initramfs-${arch}.xz`);
        const expected = [...defaultArgs(minor), ...CONSOLE[arch]!, 'initrd=initramfs.xz', 'talos.platform=metal'].sort();
        expect(e!.spec!.kernel!.args).toEqual(expected);
      }
    }
    expect(envs).toHaveLength(7 * 2 + 2);
  });

  it('give Sidero v0.6.13\'s exact default args for Talos 1.13 amd64', () => {
    expect((byName.get('talos-1.13-amd64') as Environment).spec!.kernel!.args!.join(' ')).toBe(
      'console=tty0 console=ttyS0 consoleblank=0 earlyprintk=ttyS0 init_on_alloc=1 initrd=initramfs.xz module.sig_enforce=1 ' +
        'nvme_core.io_timeout=4294967295 printk.devkmsg=on proc_mem.force_override=never pti=on selinux=1 slab_nomerge= talos.platform=metal',
    );
  });

  it('point default at the newest stable amd64 and default-arm64 at the same release for arm64', () => {
    const newest = envs
      .filter((e) => e.metadata.name.startsWith('talos-'))
      .map((e) => e.metadata.annotations![A.TALOS_VERSION]!)
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
      .at(-1);
    const spec = (name: string) => (byName.get(name) as Environment).spec;
    expect(newest).toBe('v1.13.9');
    expect(spec('default')).toEqual(spec('talos-1.13-amd64'));
    expect(spec('default-arm64')).toEqual(spec('talos-1.13-arm64'));
  });
});

describe('a broken profiles folder', () => {
  const dir = mkdtempSync(join(tmpdir(), `api-badprofiles-${process.pid}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is a PROFILE_INVALID error naming the file, line and field', () => {
    writeFileSync(join(dir, 'x.yaml'), 'apiVersion: metal.sidero.dev/v1alpha2\nkind: Environment\nmetadata:\n  name: e\nspec:\n  kernal: {}\n');
    let caught: unknown;
    try {
      loadProfiles(dir);
    } catch (e) {
      caught = e;
    }
    expect(isMetalboxError(caught, 'PROFILE_INVALID')).toBe(true);
    expect((caught as Error).message).toContain('x.yaml:6:3: document 1 (Environment e): spec.kernal: unknown field (did you mean "kernel"?)');
  });

  it('returns plain resources a store can take', () => {
    const rs: Resource[] = loadProfiles();
    expect(rs.every((r) => r.metadata.uid === undefined && r.status === undefined)).toBe(true);
  });
});
