/**
 * Operations on Environments' assets, shared by `metalbox assets` and the console:
 * - `assets.import` {paths, env?, sums?}: files or folders into the cache, matched and recorded;
 * - `assets.status` {env?}: each Environment's readiness, asset by asset, with the reason;
 * - `assets.pull` {env}: download what an Environment needs, then import it (only when asked; the CLI
 *   downloads in its own process to show progress, then calls `assets.import`).
 * In a running appliance they use its cache and status keeper; a one-shot CLI process makes its own.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { annotations, type Environment } from '../api/index.js';
import {
  AssetCache,
  assetStates,
  EnvironmentStatusKeeper,
  importAssets,
  pullEnvironment,
  touchedEnvironments,
  type AssetState,
  type ImportedFile,
  type ImportRequest,
} from '../assets/index.js';
import { MetalboxError } from '../util/errors.js';
import { defineOps } from './registry.js';
import type { OpsContext } from './types.js';

export interface EnvironmentAssets {
  environment: string;
  arch?: string;
  talosVersion?: string;
  ready: boolean;
  assets: Pick<AssetState, 'asset' | 'url' | 'sha512' | 'ready' | 'reason' | 'message'>[];
}

export interface ImportResult {
  files: ImportedFile[];
  environments: EnvironmentAssets[];
}

function assetsOf(ctx: OpsContext): { cache: AssetCache; keeper: EnvironmentStatusKeeper } {
  if (ctx.services.assets) return ctx.services.assets;
  const cache = AssetCache.forDataDir(ctx.dataDir);
  return { cache, keeper: new EnvironmentStatusKeeper(ctx.store, cache, ctx.events) };
}

/** Asset states as last recorded in the store (a one-shot process has verified nothing itself). */
function storedStates(env: Environment): AssetState[] {
  const conds = env.status?.conditions ?? [];
  const recorded = (sha: string) => conds.find((c) => c.type === 'Ready' && (c.sha512 ?? '').toLowerCase() === sha);
  return assetStates(env, (sha) => {
    const c = recorded(sha);
    return !c ? 'unchecked' : c.status === 'True' ? 'verified' : 'missing';
  }).map((s) => {
    const c = s.sha512 ? recorded(s.sha512) : undefined;
    return c?.message && !s.ready ? { ...s, message: c.message } : s;
  });
}

/** Readiness as the running appliance knows it (live), or as last recorded. */
function describe(env: Environment, live: EnvironmentStatusKeeper | undefined): EnvironmentAssets {
  const states = live ? live.states(env) : storedStates(env);
  const a = env.metadata.annotations ?? {};
  return {
    environment: env.metadata.name,
    ...(a[annotations.ARCH] ? { arch: a[annotations.ARCH] } : {}),
    ...(a[annotations.TALOS_VERSION] ? { talosVersion: a[annotations.TALOS_VERSION] } : {}),
    ready: states.every((s) => s.ready),
    assets: states.map(({ asset, url, sha512, ready, reason, message }) => ({ asset, url, sha512, ready, reason, message })),
  };
}

function environments(ctx: OpsContext, only?: string): Environment[] {
  if (!only) return ctx.store.list<Environment>('Environment').sort((x, y) => x.metadata.name.localeCompare(y.metadata.name));
  const env = ctx.store.get<Environment>('Environment', only);
  if (!env) throw new MetalboxError('NOT_FOUND', `environment "${only}" not found`, { hint: 'list them with `metalbox assets status`' });
  return [env];
}

async function status(ctx: OpsContext, a: { env?: string }): Promise<EnvironmentAssets[]> {
  const keeper = ctx.services.assets?.keeper;
  return environments(ctx, a.env).map((e) => describe(e, keeper));
}

async function importOp(ctx: OpsContext, a: ImportRequest): Promise<ImportResult> {
  if (!Array.isArray(a.paths) || a.paths.some((p) => typeof p !== 'string')) throw new MetalboxError('USAGE', 'assets.import needs paths: a list of files or folders');
  const { cache, keeper } = assetsOf(ctx);
  const files = await importAssets({ paths: a.paths, env: a.env, sums: a.sums }, { store: ctx.store, cache });
  const touched = touchedEnvironments(files);
  await keeper.refresh(touched);
  ctx.events.emit({ type: 'operator.action', action: 'assets import', detail: `${files.length} file(s), ${touched.length} environment(s)` });
  return { files, environments: touched.map((n) => describe(ctx.store.get<Environment>('Environment', n)!, keeper)) };
}

async function pull(ctx: OpsContext, a: { env: string }): Promise<ImportResult> {
  const [env] = environments(ctx, a.env);
  const { cache, keeper } = assetsOf(ctx);
  const plan = await pullEnvironment(env!, { downloadsDir: cache.downloadsDir, isCached: (sha) => cache.state(sha) === 'verified' });
  if (plan.files.length === 0) return { files: [], environments: [describe(env!, keeper)] };
  const result = await importOp(ctx, { paths: plan.files, env: a.env, sums: plan.sums });
  await rm(join(cache.downloadsDir, a.env), { recursive: true, force: true });
  return result;
}

defineOps({
  'assets.status': status,
  'assets.import': importOp,
  'assets.pull': pull,
});
