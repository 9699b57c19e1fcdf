/**
 * The demo's stand-in binaries, written into its data directory: iPXE files under the names Metalbox
 * serves, and small "Talos" kernels and initrds under the release names, imported and verified like real
 * ones. Their bytes are deterministic, so their checksums are the same every run.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IPXE_CANDIDATES } from '../tftp/index.js';

/** `size` pseudo-random bytes from a seed: an AES-CTR keystream, fast and the same every run. */
function bytes(seed: string, size: number): Buffer {
  const key = createHash('sha256').update(seed).digest();
  const c = createCipheriv('aes-128-ctr', key.subarray(0, 16), key.subarray(16, 32));
  return Buffer.concat([c.update(Buffer.alloc(size)), c.final()]);
}

export interface DemoFiles {
  ipxeDir: string;
  /** Served name -> path. */
  ipxe: Map<string, string>;
  amd64Dir: string;
  arm64Dir: string;
}

export async function writeDemoFiles(dataDir: string): Promise<DemoFiles> {
  const root = join(dataDir, 'demo-files');
  const ipxeDir = join(root, 'ipxe');
  const amd64Dir = join(root, 'talos-amd64');
  const arm64Dir = join(root, 'talos-arm64');
  for (const d of [ipxeDir, amd64Dir, arm64Dir]) await mkdir(d, { recursive: true });
  const ipxe = new Map<string, string>();
  for (const name of Object.keys(IPXE_CANDIDATES)) {
    const path = join(ipxeDir, name);
    // Sizes of the real builds' order: a BIOS undionly.kpxe is ~70 KB, an EFI build ~1 MB.
    await writeFile(path, bytes(`ipxe/${name}`, name.endsWith('.kpxe') ? 72 * 1024 : 256 * 1024));
    ipxe.set(name, path);
  }
  for (const [dir, arch] of [[amd64Dir, 'amd64'], [arm64Dir, 'arm64']] as const) {
    await writeFile(join(dir, `vmlinuz-${arch}`), bytes(`kernel/${arch}`, 1024 * 1024));
    await writeFile(join(dir, `initramfs-${arch}.xz`), bytes(`initrd/${arch}`, 2 * 1024 * 1024));
  }
  return { ipxeDir, ipxe, amd64Dir, arm64Dir };
}
