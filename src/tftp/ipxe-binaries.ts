/**
 * Finding the iPXE binaries: the folders of settings.ipxe.paths in order (relative ones resolve against
 * the Metalbox installation, the folder holding its package.json), first hit wins.
 *
 * Debian and Ubuntu's `ipxe` package installs /usr/lib/ipxe/{undionly.kpxe, ipxe.efi, snponly.efi} (x86
 * only; Debian 12 ships no arm64 build). The arm64 builds are looked up under Metalbox's names and under
 * the layouts of an iPXE build tree (`bin-arm64-efi/ipxe.efi`) and of other tools (`snp-arm64.efi`).
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Served name -> file names tried in each folder, in order. */
export const IPXE_CANDIDATES: Readonly<Record<string, readonly string[]>> = {
  'undionly.kpxe': ['undionly.kpxe', 'bin/undionly.kpxe'],
  'ipxe.efi': ['ipxe.efi', 'x86_64-efi/ipxe.efi', 'bin-x86_64-efi/ipxe.efi'],
  'snponly.efi': ['snponly.efi', 'x86_64-efi/snponly.efi', 'bin-x86_64-efi/snponly.efi'],
  'ipxe-arm64.efi': ['ipxe-arm64.efi', 'arm64-efi/ipxe.efi', 'bin-arm64-efi/ipxe.efi'],
  'snponly-arm64.efi': ['snponly-arm64.efi', 'snp-arm64.efi', 'arm64-efi/snponly.efi', 'bin-arm64-efi/snponly.efi'],
};

export interface IpxeBinaries {
  /** Served name -> absolute path of the file found. */
  files: Map<string, string>;
  /** Served names found in none of the folders. */
  missing: string[];
  /** The folders searched, absolute, in order. */
  searched: string[];
}

/** The folder holding Metalbox's package.json (the installation root). */
export function installationRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) return from;
    dir = up;
  }
}

export async function findIpxeBinaries(paths: readonly string[], root: string = installationRoot()): Promise<IpxeBinaries> {
  const searched = paths.map((p) => (isAbsolute(p) ? p : resolve(root, p)));
  const files = new Map<string, string>();
  const missing: string[] = [];
  for (const [name, candidates] of Object.entries(IPXE_CANDIDATES)) {
    const hit = await firstFile(searched, candidates);
    if (hit) files.set(name, hit);
    else missing.push(name);
  }
  return { files, missing, searched };
}

async function firstFile(folders: readonly string[], candidates: readonly string[]): Promise<string | undefined> {
  for (const folder of folders) {
    for (const c of candidates) {
      const path = join(folder, c);
      try {
        // stat follows symlinks (Debian links /usr/lib/ipxe/ipxe.efi to /boot); the path found is kept.
        if ((await stat(path)).isFile()) return path;
      } catch {
        // not there
      }
    }
  }
  return undefined;
}
