/**
 * The files TFTP serves: a fixed map of names to absolute paths (no directory to escape from), read once
 * and kept in memory until the file changes on disk (iPXE binaries are about a megabyte each).
 */
import { readFile, stat } from 'node:fs/promises';
import { toNetascii } from './negotiate.js';

interface Cached {
  mtimeMs: number;
  size: number;
  octet: Buffer;
  netascii?: Buffer;
}

export type FileLookup = { ok: true; data: Buffer } | { ok: false; notFound: boolean; reason: string };

export class ServedFiles {
  private readonly names: Map<string, string>;
  private readonly cache = new Map<string, Cached>();

  constructor(files: ReadonlyMap<string, string>) {
    this.names = new Map(files);
  }

  /**
   * A request's file name to its content. Only exact names of the map are served; leading slashes are
   * ignored because some firmware asks for `/ipxe.efi`.
   */
  async read(requested: string, mode: 'octet' | 'netascii'): Promise<FileLookup> {
    const name = requested.replace(/^\/+/, '');
    const path = this.names.get(name);
    if (!path) return { ok: false, notFound: true, reason: `${requested} is not one of the served files` };
    try {
      const st = await stat(path);
      let hit = this.cache.get(path);
      if (!hit || hit.mtimeMs !== st.mtimeMs || hit.size !== st.size) {
        hit = { mtimeMs: st.mtimeMs, size: st.size, octet: await readFile(path) };
        this.cache.set(path, hit);
      }
      if (mode === 'octet') return { ok: true, data: hit.octet };
      hit.netascii ??= toNetascii(hit.octet);
      return { ok: true, data: hit.netascii };
    } catch (e) {
      return { ok: false, notFound: true, reason: `${name} cannot be read: ${(e as Error).message}` };
    }
  }

  list(): string[] {
    return [...this.names.keys()];
  }
}
