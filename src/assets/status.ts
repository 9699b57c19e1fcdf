/**
 * Whether an Environment can be booted: pure functions from its spec and the state of the asset cache to
 * one state per asset (kernel, initrd), Sidero-shaped status conditions, and a readiness with its reason.
 * The console, `/ipxe` (412 when not ready) and `metalbox assets` all read the same answer.
 */
import type { AssetCondition, Environment } from '../api/index.js';

export type AssetKind = 'kernel' | 'initrd';
export const ASSET_KINDS: readonly AssetKind[] = ['kernel', 'initrd'];

/** The names an Environment's assets are served under: `/env/<environment>/<file>`. */
export const SERVED_NAME: Readonly<Record<AssetKind, string>> = { kernel: 'vmlinuz', initrd: 'initramfs.xz' };

/** What the cache knows of a sha512: verified on disk, absent, present with other contents, or not checked yet. */
export type CacheState = 'verified' | 'missing' | 'corrupt' | 'unchecked';

export interface AssetState {
  asset: AssetKind;
  url: string;
  sha512: string;
  ready: boolean;
  /** A CamelCase reason, as Kubernetes conditions have. */
  reason: 'Verified' | 'NoAsset' | 'NotImported' | 'NotCached' | 'ChecksumMismatch' | 'Verifying';
  message: string;
}

export interface Readiness {
  ready: boolean;
  /** Why not, in the operator's words (what to do included). */
  reason?: string;
}

function fetchHint(env: string): string {
  return `run \`metalbox assets pull ${env}\`, or bring the files and run \`metalbox assets import DIR --env ${env}\``;
}

function stateOf(env: string, asset: AssetKind, url: string, sha512: string, cache: (sha512: string) => CacheState): AssetState {
  const base = { asset, url, sha512 };
  if (!url && !sha512) return { ...base, ready: false, reason: 'NoAsset', message: `no ${asset} given (spec.${asset}.url or sha512)` };
  if (!sha512) return { ...base, ready: false, reason: 'NotImported', message: `${asset} not in the asset cache: ${fetchHint(env)}` };
  switch (cache(sha512)) {
    case 'verified':
      return { ...base, ready: true, reason: 'Verified', message: `${asset} cached and its sha512 verified` };
    case 'corrupt':
      return { ...base, ready: false, reason: 'ChecksumMismatch', message: `the cached ${asset} does not match its sha512: ${fetchHint(env)}` };
    case 'unchecked':
      return { ...base, ready: false, reason: 'Verifying', message: `the cached ${asset} is being verified` };
    default:
      return { ...base, ready: false, reason: 'NotCached', message: `${asset} not in the asset cache: ${fetchHint(env)}` };
  }
}

/** One state per asset the Environment needs: always the kernel; the initrd when the spec names one. */
export function assetStates(env: Environment, cache: (sha512: string) => CacheState): AssetState[] {
  const name = env.metadata.name;
  const k = env.spec?.kernel;
  const i = env.spec?.initrd;
  const out = [stateOf(name, 'kernel', k?.url ?? '', (k?.sha512 ?? '').toLowerCase(), cache)];
  if (i?.url || i?.sha512) out.push(stateOf(name, 'initrd', i.url ?? '', (i.sha512 ?? '').toLowerCase(), cache));
  return out;
}

/** Sidero's status shape: one `Ready` condition per asset, with the reason Metalbox adds. */
export function assetConditions(states: readonly AssetState[]): AssetCondition[] {
  return states.map((s) => ({
    type: 'Ready',
    status: s.ready ? 'True' : 'False',
    url: s.url,
    sha512: s.sha512,
    reason: s.reason,
    message: s.message,
  }));
}

export function readinessOf(states: readonly AssetState[]): Readiness {
  const bad = states.filter((s) => !s.ready);
  if (bad.length === 0) return { ready: true };
  return { ready: false, reason: bad.map((s) => s.message).join('; ') };
}
