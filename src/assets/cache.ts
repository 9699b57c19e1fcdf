/**
 * The content-addressed asset cache: `<data>/assets/sha512/<hex>`, one file per distinct content, written
 * only after its sha512 was computed from the bytes (copy to a temporary file while hashing, fsync, then
 * rename), so a file under a name is always that content unless the disk changed it. What has been
 * verified in this process is remembered in memory, so serving and readiness never touch the disk per
 * request; `verify` re-reads a file and hashes it again.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { errorMessage, MetalboxError } from '../util/errors.js';
import type { CacheState } from './status.js';

const SHA512_RE = /^[0-9a-f]{128}$/;

export interface CachedFile {
  sha512: string;
  size: number;
  path: string;
}

export function isSha512(v: string): boolean {
  return SHA512_RE.test(v);
}

/** Stream a file through sha512. */
export async function hashFile(path: string): Promise<{ sha512: string; size: number }> {
  const h = createHash('sha512');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    h.update(chunk);
    size += chunk.length;
  }
  return { sha512: h.digest('hex'), size };
}

export class AssetCache {
  /** sha512 -> what this process knows of the file. */
  private readonly known = new Map<string, { state: CacheState; size?: number }>();
  private readonly listeners = new Set<(sha512: string, state: CacheState) => void>();

  constructor(readonly dir: string) {}

  static forDataDir(dataDir: string): AssetCache {
    return new AssetCache(join(dataDir, 'assets'));
  }

  pathOf(sha512: string): string {
    if (!isSha512(sha512)) throw new MetalboxError('ASSET_BAD_SHA512', `not a sha512: ${sha512.slice(0, 20)}…`);
    return join(this.dir, 'sha512', sha512);
  }

  /** Where downloads in progress live (resumable). */
  get downloadsDir(): string {
    return join(this.dir, 'downloads');
  }

  /** What is known now, without touching the disk ('unchecked' until verified in this process). */
  state(sha512: string): CacheState {
    return this.known.get(sha512.toLowerCase())?.state ?? 'unchecked';
  }

  size(sha512: string): number | undefined {
    return this.known.get(sha512.toLowerCase())?.size;
  }

  /** Hear of every change of state (verification, import). */
  onChange(fn: (sha512: string, state: CacheState) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private set(sha512: string, state: CacheState, size?: number): void {
    const before = this.known.get(sha512)?.state;
    this.known.set(sha512, size === undefined ? { state } : { state, size });
    if (before !== state) for (const l of this.listeners) l(sha512, state);
  }

  /** Re-read the file named `sha512` and hash it: verified, missing or corrupt. */
  async verify(sha512: string): Promise<CacheState> {
    const sha = sha512.toLowerCase();
    let result: CacheState;
    let size: number | undefined;
    try {
      const h = await hashFile(this.pathOf(sha));
      result = h.sha512 === sha ? 'verified' : 'corrupt';
      size = h.size;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      result = 'missing';
    }
    this.set(sha, result, size);
    return result;
  }

  /** Verify only if this process has not yet. */
  async ensureChecked(sha512: string): Promise<CacheState> {
    const s = this.state(sha512);
    return s === 'unchecked' ? this.verify(sha512) : s;
  }

  /** Copy a file into the cache, hashing as it goes. */
  async addFile(path: string): Promise<CachedFile> {
    const st = await stat(path).catch((e: unknown) => {
      throw new MetalboxError('ASSET_UNREADABLE', `cannot read ${path}: ${errorMessage(e)}`, { cause: e });
    });
    if (!st.isFile()) throw new MetalboxError('ASSET_NOT_FILE', `${path} is not a regular file`);
    return this.addStream(createReadStream(path, { highWaterMark: 1 << 20 }));
  }

  /** Write a stream into the cache under its sha512 (computed here). */
  async addStream(source: Readable): Promise<CachedFile> {
    await mkdir(join(this.dir, 'sha512'), { recursive: true, mode: 0o755 });
    const tmp = join(this.dir, 'sha512', `.incoming-${randomBytes(6).toString('hex')}`);
    const h = createHash('sha512');
    let size = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        h.update(chunk);
        size += chunk.length;
        cb(null, chunk);
      },
    });
    try {
      await pipeline(source, tap, createWriteStream(tmp, { mode: 0o644 }));
      const fh = await open(tmp, 'r');
      await fh.sync().finally(() => fh.close());
      const sha512 = h.digest('hex');
      const path = this.pathOf(sha512);
      await rename(tmp, path);
      await chmod(path, 0o444).catch(() => undefined);
      await syncDir(join(this.dir, 'sha512'));
      this.set(sha512, 'verified', size);
      return { sha512, size, path };
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  }

  /** Remove a cached file (an import that matched nothing). */
  async remove(sha512: string): Promise<void> {
    await rm(this.pathOf(sha512), { force: true });
    this.set(sha512.toLowerCase(), 'missing');
  }
}

async function syncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    await fh.sync().finally(() => fh.close());
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic.
  }
}
