/**
 * `metalbox assets import FILE|DIR [--env NAME]`: the air-gapped path. Every file is hashed, matched to
 * Environment assets (match.ts), copied into the cache (hashed again while copying, so a file that
 * changed in between is refused), and an Environment whose sha512 was empty gets the file's recorded.
 * Files that match nothing are reported and not kept.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Environment } from '../api/index.js';
import type { Store } from '../store/index.js';
import { errorMessage, MetalboxError } from '../util/errors.js';
import { hashFile, type AssetCache } from './cache.js';
import { matchImport, parseSumsFile, type EnvAssetRef } from './match.js';

export const SUMS_FILE = 'sha512sum.txt';

export interface ImportRequest {
  /** Files or folders (a folder's regular files, not recursive). */
  paths: string[];
  /** Only this Environment. */
  env?: string | undefined;
  /** Known checksums by file name (a pull passes the release's sha512sum.txt). */
  sums?: Record<string, string> | undefined;
}

export interface ImportedFile {
  file: string;
  sha512: string;
  size: number;
  matched: EnvAssetRef[];
  problem?: string;
}

interface Source {
  path: string;
  sums: Map<string, string>;
}

async function expand(paths: readonly string[], extra: Map<string, string>): Promise<Source[]> {
  const out: Source[] = [];
  for (const p of paths) {
    const st = await stat(p).catch((e: unknown) => {
      throw new MetalboxError('ASSET_UNREADABLE', `cannot read ${p}: ${errorMessage(e)}`, { hint: 'check the path (a file, or a folder holding the files)' });
    });
    if (!st.isDirectory()) {
      out.push({ path: p, sums: extra });
      continue;
    }
    const names = (await readdir(p, { withFileTypes: true })).filter((d) => d.isFile() && !d.name.startsWith('.')).map((d) => d.name).sort();
    const sums = new Map(extra);
    if (names.includes(SUMS_FILE)) for (const [k, v] of parseSumsFile(await readFile(join(p, SUMS_FILE), 'utf8'))) sums.set(k, v);
    for (const n of names) if (!/^sha\d+sums?\.txt$/.test(n)) out.push({ path: join(p, n), sums });
  }
  return out;
}

function environmentsFor(store: Store, only: string | undefined): Environment[] {
  if (!only) return store.list<Environment>('Environment');
  const env = store.get<Environment>('Environment', only);
  if (!env) throw new MetalboxError('NOT_FOUND', `environment "${only}" not found`, { hint: 'list them with `metalbox get environments`' });
  return [env];
}

async function importOne(src: Source, envs: Environment[], cache: AssetCache): Promise<ImportedFile> {
  const name = basename(src.path);
  const first = await hashFile(src.path);
  const base = { file: src.path, sha512: first.sha512, size: first.size };
  if (first.size === 0) return { ...base, matched: [], problem: 'is empty' };
  const m = matchImport({ name, sha512: first.sha512 }, envs, src.sums);
  if (m.matched.length === 0) return { ...base, matched: [], ...(m.problem ? { problem: m.problem } : {}) };
  const copied = await cache.addFile(src.path);
  if (copied.sha512 !== first.sha512) {
    return { ...base, matched: [], problem: 'changed while it was being imported; import it again' };
  }
  return { ...base, matched: m.matched };
}

/** Record the sha512 of assets matched by name on Environments that had none. */
async function recordChecksums(store: Store, files: readonly ImportedFile[]): Promise<void> {
  const byEnv = new Map<string, { asset: 'kernel' | 'initrd'; sha512: string }[]>();
  for (const f of files) {
    for (const r of f.matched) {
      if (r.by !== 'name') continue;
      byEnv.set(r.environment, [...(byEnv.get(r.environment) ?? []), { asset: r.asset, sha512: f.sha512 }]);
    }
  }
  for (const [name, sets] of byEnv) {
    await store.mutate<Environment>('Environment', name, undefined, (env) => {
      for (const s of sets) {
        const a = env.spec?.[s.asset];
        if (a && !a.sha512) a.sha512 = s.sha512;
      }
      return env;
    });
  }
}

export async function importAssets(req: ImportRequest, deps: { store: Store; cache: AssetCache }): Promise<ImportedFile[]> {
  if (req.paths.length === 0) throw new MetalboxError('USAGE', 'nothing to import', { hint: 'give a file or a folder' });
  const envs = environmentsFor(deps.store, req.env);
  const extra = new Map(Object.entries(req.sums ?? {}).map(([k, v]) => [k, v.toLowerCase()]));
  const sources = await expand(req.paths, extra);
  const out: ImportedFile[] = [];
  for (const s of sources) out.push(await importOne(s, envs, deps.cache));
  await recordChecksums(deps.store, out);
  return out;
}

/** The Environments an import touched. */
export function touchedEnvironments(files: readonly ImportedFile[]): string[] {
  return [...new Set(files.flatMap((f) => f.matched.map((m) => m.environment)))].sort();
}
