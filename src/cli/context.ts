import { loadSettings, resolveDataDir, type Settings } from '../config/index.js';
import { ControlClient } from '../control/index.js';
import { EventBus } from '../events/index.js';
import { runOp, type OpsContext } from '../ops/index.js';
import { lockOwner, pidAlive } from '../store/index.js';
import { MetalboxError } from '../util/errors.js';
import { openState } from '../state.js';

/** Options every command accepts, before or after the subcommand. */
export interface GlobalOptions {
  dataDir?: string;
  config?: string;
  set?: string[];
}

/** How a command reaches the operations: through the running instance, or by opening the store itself. */
export interface CliContext {
  dataDir: string;
  settings: Settings;
  /** True when a running instance executes the operations. */
  remote: boolean;
  call<T = unknown>(op: string, args?: unknown): Promise<T>;
  close(): Promise<void>;
}

export async function settingsFor(g: GlobalOptions): Promise<{ dataDir: string; settings: Settings }> {
  const dataDir = resolveDataDir(g.dataDir);
  const { settings } = await loadSettings({ dataDir, ...(g.config ? { configFile: g.config } : {}), overrides: g.set ?? [] });
  return { dataDir, settings };
}

/**
 * Open the data directory for a CLI command. While an instance owns it (a live pid in the lock), the
 * command goes through that instance's control socket; otherwise it takes the lock and opens the store.
 */
export async function openCli(g: GlobalOptions): Promise<CliContext> {
  const { dataDir, settings } = await settingsFor(g);
  const owner = lockOwner(dataDir);
  if (owner !== undefined && owner !== process.pid && pidAlive(owner)) {
    let client: ControlClient;
    try {
      client = await ControlClient.connect(dataDir);
    } catch (e) {
      throw new MetalboxError('CONTROL_UNAVAILABLE', `Metalbox pid ${owner} owns ${dataDir} but its control socket does not answer`, {
        hint: `is it still starting? If it hangs, stop it (kill ${owner}) and try again`,
        cause: e,
      });
    }
    return {
      dataDir,
      settings,
      remote: true,
      call: (op, args) => client.call(op, args ?? {}),
      close: async () => client.close(),
    };
  }
  const events = new EventBus();
  const state = await openState({ dataDir, settings, events });
  const ctx: OpsContext = { store: state.store, events, settings, dataDir, services: {} };
  return {
    dataDir,
    settings,
    remote: false,
    call: <T>(op: string, args?: unknown) => runOp(ctx, op, args) as Promise<T>,
    close: async () => {
      await state.close();
      events.close();
    },
  };
}

/** Run a command body with a context, always closing it. */
export async function withCli<T>(g: GlobalOptions, fn: (ctx: CliContext) => Promise<T>): Promise<T> {
  const ctx = await openCli(g);
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}
