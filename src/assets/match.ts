/**
 * Which Environment assets an imported file is (pure). By sha512 when the Environment gives one; else by
 * the file name of the asset's URL (or the served name, `vmlinuz` / `initramfs.xz`). A name that fits
 * Environments with different URLs is ambiguous (the Talos releases all call their kernel
 * `vmlinuz-amd64`) and is refused with a request for `--env`. A `sha512sum.txt` beside the files, as
 * Talos releases publish, is checked first.
 */
import type { Environment } from '../api/index.js';
import { ASSET_KINDS, SERVED_NAME, type AssetKind } from './status.js';

export interface EnvAssetRef {
  environment: string;
  asset: AssetKind;
  /** How it matched. */
  by: 'sha512' | 'name';
}

export interface MatchResult {
  matched: EnvAssetRef[];
  /** Why nothing (or not everything) matched. */
  problem?: string;
}

/** The last path segment of a URL ('' when none). */
export function urlFileName(url: string | undefined): string {
  if (!url) return '';
  try {
    const p = new URL(url).pathname;
    return decodeURIComponent(p.slice(p.lastIndexOf('/') + 1));
  } catch {
    return '';
  }
}

/** `sha512sum` output: `<hex>  <name>` or `<hex> *<name>` per line. */
export function parseSumsFile(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([0-9a-fA-F]{128}) [ *](.+)$/.exec(line.trim());
    if (m) out.set(m[2]!.replace(/^.*\//, ''), m[1]!.toLowerCase());
  }
  return out;
}

const short = (sha: string) => `${sha.slice(0, 16)}…`;

export function matchImport(file: { name: string; sha512: string }, envs: readonly Environment[], sums?: ReadonlyMap<string, string>): MatchResult {
  const listed = sums?.get(file.name);
  if (listed && listed !== file.sha512) {
    return { matched: [], problem: `does not match sha512sum.txt (listed ${short(listed)}, file ${short(file.sha512)})` };
  }
  const bySha: EnvAssetRef[] = [];
  const byName: (EnvAssetRef & { url: string })[] = [];
  const mismatches: string[] = [];
  for (const env of envs) {
    for (const asset of ASSET_KINDS) {
      const spec = env.spec?.[asset];
      if (!spec) continue;
      const want = (spec.sha512 ?? '').toLowerCase();
      const nameFits = file.name === urlFileName(spec.url) || file.name === SERVED_NAME[asset];
      const ref = { environment: env.metadata.name, asset };
      if (want) {
        if (want === file.sha512) bySha.push({ ...ref, by: 'sha512' });
        else if (nameFits) mismatches.push(`${env.metadata.name}'s ${asset} has sha512 ${short(want)}`);
      } else if (nameFits) byName.push({ ...ref, by: 'name', url: spec.url ?? '' });
    }
  }
  const urls = new Set(byName.map((r) => r.url));
  const envNames = new Set(byName.map((r) => r.environment));
  const ambiguous = urls.size > 1 && envNames.size > 1;
  const matched = [...bySha, ...(ambiguous ? [] : byName.map(({ url: _u, ...r }) => r))];
  if (matched.length > 0) return { matched };
  if (ambiguous) {
    return { matched: [], problem: `the name fits Environments with different URLs (${[...envNames].sort().join(', ')}); say which with --env NAME` };
  }
  if (mismatches.length > 0) return { matched: [], problem: `not the expected file: ${mismatches.join('; ')}, this file ${short(file.sha512)}` };
  return { matched: [], problem: 'matches no Environment\'s kernel or initrd (by sha512, or by the file name of its URL)' };
}
