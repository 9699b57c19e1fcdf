import { existsSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findIpxeBinaries, installationRoot } from '../../src/tftp/index.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'mbx-ipxe-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function file(path: string, text = 'x'): Promise<string> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, text);
  return path;
}

describe('iPXE binary discovery', () => {
  it('resolves relative folders against the installation root and takes the first hit in order', async () => {
    await file(join(root, 'assets/ipxe/ipxe.efi'), 'ours');
    await file(join(root, 'dist-lib/ipxe.efi'), 'theirs');
    await file(join(root, 'dist-lib/undionly.kpxe'));
    const found = await findIpxeBinaries(['assets/ipxe', join(root, 'dist-lib')], root);
    expect(found.files.get('ipxe.efi')).toBe(join(root, 'assets/ipxe/ipxe.efi'));
    expect(found.files.get('undionly.kpxe')).toBe(join(root, 'dist-lib/undionly.kpxe'));
    expect(found.missing).toEqual(['snponly.efi', 'ipxe-arm64.efi', 'snponly-arm64.efi']);
    expect(found.searched).toEqual([join(root, 'assets/ipxe'), join(root, 'dist-lib')]);
  });

  it('finds arm64 builds under the layouts of an iPXE build tree and of other tools', async () => {
    await file(join(root, 'a/bin-arm64-efi/ipxe.efi'));
    await file(join(root, 'a/snp-arm64.efi'));
    const found = await findIpxeBinaries([join(root, 'a')], root);
    expect(found.files.get('ipxe-arm64.efi')).toBe(join(root, 'a/bin-arm64-efi/ipxe.efi'));
    expect(found.files.get('snponly-arm64.efi')).toBe(join(root, 'a/snp-arm64.efi'));
  });

  it('follows symlinks to files and ignores folders of the same name', async () => {
    const target = await file(join(root, 'store/ipxe-real.efi'));
    await mkdir(join(root, 'a'), { recursive: true });
    await symlink(target, join(root, 'a/ipxe.efi'));
    await mkdir(join(root, 'a/undionly.kpxe'));
    const found = await findIpxeBinaries([join(root, 'a'), join(root, 'missing-folder')], root);
    expect(found.files.get('ipxe.efi')).toBe(join(root, 'a/ipxe.efi'));
    expect(realpathSync(found.files.get('ipxe.efi')!)).toBe(realpathSync(target));
    expect(found.missing).toContain('undionly.kpxe');
  });

  it('the installation root is the folder holding package.json', () => {
    expect(existsSync(join(installationRoot(), 'package.json'))).toBe(true);
  });

  it.skipIf(!existsSync('/usr/lib/ipxe/ipxe.efi'))('finds Debian\'s ipxe package with the default paths', async () => {
    const found = await findIpxeBinaries(['assets/ipxe', '/usr/lib/ipxe']);
    expect(found.files.get('undionly.kpxe')).toBe('/usr/lib/ipxe/undionly.kpxe');
    expect(found.files.get('ipxe.efi')).toBe('/usr/lib/ipxe/ipxe.efi');
    expect(found.files.get('snponly.efi')).toBe('/usr/lib/ipxe/snponly.efi');
  });
});
