/**
 * Keeps every Environment's status conditions true to the asset cache: at start it verifies (re-hashes)
 * each cached file an Environment names, then writes the conditions; afterwards it follows Environment
 * changes and imports. Writes happen only when the conditions change, so its own writes end the loop.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Environment } from '../api/index.js';
import type { EventBus } from '../events/index.js';
import type { Store } from '../store/index.js';
import { errorMessage } from '../util/errors.js';
import type { AssetCache } from './cache.js';
import { assetConditions, assetStates, readinessOf, type AssetState, type Readiness } from './status.js';

export class EnvironmentStatusKeeper {
  private chain: Promise<void> = Promise.resolve();
  private unwatch: (() => void) | undefined;
  private unlisten: (() => void) | undefined;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly cache: AssetCache,
    private readonly events?: EventBus,
  ) {}

  /** Live readiness of an Environment from the cache as this process knows it. */
  readiness(env: Environment): Readiness {
    return readinessOf(this.states(env));
  }

  states(env: Environment): AssetState[] {
    return assetStates(env, (sha) => this.cache.state(sha));
  }

  /** Begin: verification runs in the background (see `idle`). */
  start(): void {
    this.stopped = false;
    this.unwatch = this.store.watch(
      (e) => {
        if (e.type !== 'DELETED') this.refresh([e.object.metadata.name]);
      },
      { kinds: ['Environment'] },
    );
    this.unlisten = this.cache.onChange((sha) => {
      const names = this.store.list<Environment>('Environment').filter((e) => this.states(e).some((s) => s.sha512 === sha)).map((e) => e.metadata.name);
      if (names.length) this.refresh(names);
    });
    this.refresh();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unwatch?.();
    this.unlisten?.();
    await this.chain;
  }

  /** Resolves when every refresh asked for so far is done. */
  idle(): Promise<void> {
    return this.chain;
  }

  /** Verify what the named Environments (default: all) reference, then write their conditions. */
  refresh(names?: readonly string[]): Promise<void> {
    this.chain = this.chain.then(() => this.run(names)).catch((e: unknown) => {
      process.emitWarning(`metalbox: environment status: ${errorMessage(e)}`);
    });
    return this.chain;
  }

  private async run(names: readonly string[] | undefined): Promise<void> {
    const envs = names
      ? names.map((n) => this.store.get<Environment>('Environment', n)).filter((e): e is Environment => e !== undefined)
      : this.store.list<Environment>('Environment');
    const initial = names === undefined;
    for (const env of envs) {
      if (this.stopped) return;
      for (const s of this.states(env)) if (s.sha512) await this.cache.ensureChecked(s.sha512);
      await this.write(env.metadata.name, initial);
    }
    if (!initial || this.stopped) return;
    // One line at start for the whole picture, rather than a warning per asset of every Environment.
    const ready: string[] = [];
    const missing: string[] = [];
    for (const env of this.store.list<Environment>('Environment')) (this.readiness(env).ready ? ready : missing).push(env.metadata.name);
    this.events?.emit({ type: 'assets.summary', total: ready.length + missing.length, ready, missing });
  }

  /**
   * Write the conditions when they changed, with an event per asset that changed. In the first pass, an
   * Environment seen for the first time without its files is left to the start summary.
   */
  private async write(name: string, initial = false): Promise<void> {
    const env = this.store.get<Environment>('Environment', name);
    if (!env) return;
    const states = this.states(env);
    const conditions = assetConditions(states);
    if (isDeepStrictEqual(env.status?.conditions ?? [], conditions)) return;
    const before = env.status?.conditions ?? [];
    await this.store.mutate<Environment>('Environment', name, undefined, (e) => {
      e.status = { ...e.status, conditions: assetConditions(this.states(e)) };
      return e;
    });
    for (const s of states) {
      if (initial && before.length === 0 && !s.ready) continue;
      const old = before.find((c) => c.sha512 === s.sha512 && c.url === s.url);
      if ((old?.status === 'True') === s.ready && old?.reason === s.reason) continue;
      this.events?.emit({ type: 'assets.status', environment: name, asset: s.asset, ready: s.ready, detail: s.message });
    }
  }
}
