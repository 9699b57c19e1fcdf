/**
 * `metalbox assets pull ENV`: download an Environment's kernel and initrd (only when the operator asks;
 * nothing here runs by itself). Downloads go to `<cache>/downloads/<env>/<file name of the URL>` and
 * resume from where they stopped (HTTP Range, checked with If-Range against the ETag seen before). When
 * the Environment gives no sha512, the release's `sha512sum.txt` beside the URL is fetched to check
 * against (Talos publishes one); the files are then imported, which verifies and records them.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Environment } from '../api/index.js';
import { errorMessage, errnoCode, MetalboxError } from '../util/errors.js';
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

export type FetchFn = (url: string, init?: { headers?: Record<string, string> }) => Promise<Response>;

const NETWORK_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);

/** The error of a fetch that could not reach the server, in plain words. */
export function networkError(url: string, e: unknown): MetalboxError {
  const cause = (e as { cause?: unknown }).cause ?? e;
  const code = errnoCode(cause) ?? '';
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();
  const offline = NETWORK_CODES.has(code);
  return new MetalboxError(
    offline ? 'ASSETS_NO_NETWORK' : 'ASSETS_DOWNLOAD_FAILED',
    offline ? `cannot reach ${host} (${code}): no network, or no route to it` : `downloading ${url} failed: ${errorMessage(cause)}`,
    { hint: 'on a box without internet, copy the files onto a USB stick elsewhere and run `metalbox assets import DIR --env NAME`', cause },
  );
}

async function get(fetchFn: FetchFn, url: string, headers: Record<string, string> = {}): Promise<Response> {
  try {
    return await fetchFn(url, { headers });
  } catch (e) {
    throw networkError(url, e);
  }
}

/** The release's sha512sum.txt beside `url`, or an empty map when there is none. */
export async function fetchSums(fetchFn: FetchFn, url: string): Promise<Map<string, string>> {
  const sumsUrl = new URL('sha512sum.txt', url).toString();
  const res = await get(fetchFn, sumsUrl);
  if (!res.ok) {
    await res.body?.cancel();
    return new Map();
  }
  return parseSumsFile(await res.text());
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

/** Download `url` to `dest`, resuming a partial download of the same URL. */
export async function download(fetchFn: FetchFn, url: string, dest: string, onProgress?: (p: Progress) => void): Promise<void> {
  const part = `${dest}.part`;
  const metaPath = `${dest}.meta.json`;
  const meta = await readMeta(metaPath);
  if (meta?.done && meta.url === url && (await stat(dest).catch(() => undefined))) return;
  let have = meta?.url === url ? ((await stat(part).catch(() => undefined))?.size ?? 0) : 0;
  const headers: Record<string, string> = {};
  if (have > 0) {
    headers['range'] = `bytes=${have}-`;
    if (meta?.etag) headers['if-range'] = meta.etag;
  }
  const res = await get(fetchFn, url, headers);
  if (res.status === 416 && have > 0) {
    await res.body?.cancel();
    await rm(part, { force: true });
    return download(fetchFn, url, dest, onProgress);
  }
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw new MetalboxError('ASSETS_DOWNLOAD_FAILED', `downloading ${url} failed: HTTP ${res.status} ${res.statusText}`, { hint: 'check the Environment\'s URL' });
  }
  if (res.status !== 206) have = 0;
  const etag = res.headers.get('etag') ?? undefined;
  await writeFile(metaPath, JSON.stringify({ url, ...(etag ? { etag } : {}) }));
  const length = Number(res.headers.get('content-length') ?? NaN);
  const total = Number.isFinite(length) ? have + length : undefined;
  let received = have;
  const file = urlFileName(url);
  const counter = new Transform({
    transform(chunk: Buffer, _e, cb) {
      received += chunk.length;
      onProgress?.({ file, received, total, resumedFrom: have });
      cb(null, chunk);
    },
  });
  const stopped = (why: string, cause?: unknown) =>
    new MetalboxError('ASSETS_DOWNLOAD_INTERRUPTED', `downloading ${url} stopped at ${received}${total !== undefined ? ` of ${total}` : ''} bytes: ${why}`, {
      hint: 'run the same command again: it resumes where it stopped',
      cause,
    });
  try {
    await pipeline(Readable.fromWeb(res.body as never), counter, createWriteStream(part, { flags: have > 0 ? 'a' : 'w' }));
  } catch (e) {
    throw stopped('the connection was lost', e);
  }
  if (total !== undefined && received !== total) throw stopped('the server ended early');
  await rename(part, dest);
  await writeFile(metaPath, JSON.stringify({ url, ...(etag ? { etag } : {}), done: true }));
}

/**
 * Download what an Environment needs that is not cached yet (`isCached(sha512)`), with the checksums to
 * verify them by. Resolves with what to import.
 */
export async function pullEnvironment(
  env: Environment,
  deps: { downloadsDir: string; fetchFn?: FetchFn; isCached: (sha512: string) => boolean; onProgress?: (p: Progress) => void },
): Promise<PullPlan> {
  const fetchFn = deps.fetchFn ?? (globalThis.fetch as FetchFn);
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
    if (!spec.sha512) for (const [k, v] of await fetchSums(fetchFn, spec.url)) if (k === file) plan.sums[k] = v;
    const dest = join(dir, file);
    await download(fetchFn, spec.url, dest, deps.onProgress);
    plan.files.push(dest);
  }
  return plan;
}
