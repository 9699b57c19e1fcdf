/**
 * `metalbox assets pull ENV`: download an Environment's kernel and initrd (only when the operator asks;
 * nothing here runs by itself). Downloads go to `<cache>/downloads/<env>/<file name of the URL>` and
 * resume from where they stopped (HTTP Range, checked with If-Range against the ETag seen before). When
 * the Environment gives no sha512, the release's `sha512sum.txt` beside the URL is fetched to check
 * against (Talos publishes one); the files are then imported, which verifies and records them.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { Environment } from '../api/index.js';
import { errorMessage, MetalboxError } from '../util/errors.js';
import { httpGet, readText } from './fetch.js';
import { urlFileName, parseSumsFile } from './match.js';
import { ASSET_KINDS } from './status.js';

export interface Progress {
  file: string;
  received: number;
  /** Undefined when the server does not say. */
  total: number | undefined;
  /** Bytes already on disk when this run started (a resume). */
  resumedFrom: number;
}

export interface PullPlan {
  environment: string;
  /** The downloaded files, ready for importAssets. */
  files: string[];
  /** Checksums learned from the release's sha512sum.txt, by file name. */
  sums: Record<string, string>;
  /** Assets that were already cached and verified. */
  skipped: string[];
}

/** The release's sha512sum.txt beside `url`, or an empty map when there is none. */
export async function fetchSums(url: string): Promise<Map<string, string>> {
  const { res } = await httpGet(new URL('sha512sum.txt', url).toString());
  if (res.statusCode !== 200) {
    res.resume();
    return new Map();
  }
  return parseSumsFile(await readText(res));
}

interface Meta {
  url: string;
  etag?: string;
  /** The download finished (the file waits to be imported). */
  done?: boolean;
}

async function readMeta(path: string): Promise<Meta | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Meta;
  } catch {
    return undefined;
  }
}

/** Write a response body to `part` as it arrives; resolves with the bytes written, rejects with what cut it. */
function receive(res: IncomingMessage, part: string, append: boolean, onChunk: (n: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(part, { flags: append ? 'a' : 'w' });
    let failure: Error | undefined;
    res.on('data', (chunk: Buffer) => {
      onChunk(chunk.length);
      if (!out.write(chunk)) res.pause();
    });
    out.on('drain', () => res.resume());
    res.on('aborted', () => (failure ??= new Error('the connection was lost')));
    res.on('error', (e) => (failure ??= e));
    // Always end (never destroy) the file, so what arrived before a drop is on disk to resume from.
    res.on('close', () => out.end(() => (failure || !res.complete ? reject(failure ?? new Error('the connection was lost')) : resolve())));
    out.on('error', reject);
  });
}

/** Download `url` to `dest`, resuming a partial download of the same URL. */
export async function download(url: string, dest: string, onProgress?: (p: Progress) => void): Promise<void> {
  const part = `${dest}.part`;
  const metaPath = `${dest}.meta.json`;
  const meta = await readMeta(metaPath);
  if (meta?.done && meta.url === url && (await stat(dest).catch(() => undefined))) return;
  let have = meta?.url === url ? ((await stat(part).catch(() => undefined))?.size ?? 0) : 0;
  const headers: Record<string, string> = have > 0 ? { range: `bytes=${have}-`, ...(meta?.etag ? { 'if-range': meta.etag } : {}) } : {};
  const { res } = await httpGet(url, headers);
  const status = res.statusCode ?? 0;
  if (status === 416 && have > 0) {
    res.resume();
    await rm(part, { force: true });
    return download(url, dest, onProgress);
  }
  if (status !== 200 && status !== 206) {
    res.resume();
    throw new MetalboxError('ASSETS_DOWNLOAD_FAILED', `downloading ${url} failed: HTTP ${status} ${res.statusMessage ?? ''}`.trim(), { hint: 'check the Environment\'s URL' });
  }
  if (status !== 206) have = 0;
  const etag = typeof res.headers.etag === 'string' ? res.headers.etag : undefined;
  const length = Number(res.headers['content-length'] ?? NaN);
  const total = Number.isFinite(length) ? have + length : undefined;
  let received = have;
  const file = urlFileName(url);
  // Listen at once (no await before): a short answer can end before the next tick.
  const receiving = receive(res, part, have > 0, (n) => {
    received += n;
    onProgress?.({ file, received, total, resumedFrom: have });
  });
  receiving.catch(() => undefined); // handled below, after the meta file is written
  await writeFile(metaPath, JSON.stringify({ url, ...(etag ? { etag } : {}) }));
  try {
    await receiving;
  } catch (e) {
    throw new MetalboxError('ASSETS_DOWNLOAD_INTERRUPTED', `downloading ${url} stopped at ${received}${total !== undefined ? ` of ${total}` : ''} bytes: ${errorMessage(e)}`, {
      hint: 'run the same command again: it resumes where it stopped',
      cause: e,
    });
  }
  await rename(part, dest);
  await writeFile(metaPath, JSON.stringify({ url, ...(etag ? { etag } : {}), done: true }));
}

/**
 * Download what an Environment needs that is not cached yet (`isCached(sha512)`), with the checksums to
 * verify them by. Resolves with what to import.
 */
export async function pullEnvironment(
  env: Environment,
  deps: { downloadsDir: string; isCached: (sha512: string) => boolean; onProgress?: (p: Progress) => void },
): Promise<PullPlan> {
  const name = env.metadata.name;
  const dir = join(deps.downloadsDir, name);
  await mkdir(dir, { recursive: true });
  const plan: PullPlan = { environment: name, files: [], sums: {}, skipped: [] };
  for (const asset of ASSET_KINDS) {
    const spec = env.spec?.[asset];
    if (!spec?.url) {
      if (asset === 'kernel' && !spec?.sha512) throw new MetalboxError('ASSETS_NO_URL', `environment "${name}" gives no kernel URL to download`);
      continue;
    }
    if (spec.sha512 && deps.isCached(spec.sha512.toLowerCase())) {
      plan.skipped.push(asset);
      continue;
    }
    const file = urlFileName(spec.url);
    if (!file) throw new MetalboxError('ASSETS_BAD_URL', `environment "${name}": the ${asset} URL ${spec.url} names no file`);
    if (!spec.sha512) for (const [k, v] of await fetchSums(spec.url)) if (k === file) plan.sums[k] = v;
    const dest = join(dir, file);
    await download(spec.url, dest, deps.onProgress);
    plan.files.push(dest);
  }
  return plan;
}
