import { defineOps, opNames, runRegistered, type OpHandler } from './registry.js';
import type { OpsContext } from './types.js';

/**
 * Operations load lazily, by the prefix of their name: a CLI command pays only for the module it uses
 * (cluster operations pull in the Talos library, power ones the BMC clients).
 */
const MODULES: [prefix: string, load: () => Promise<unknown>][] = [
  ['appliance.', () => import('./appliance.js')],
  ['events.', () => import('./appliance.js')],
  ['resources.', () => import('./resources.js')],
  ['servers.', () => import('./servers.js')],
  ['clusters.', () => import('./clusters.js')],
  ['assets.', () => import('./assets.js')],
  ['power.', () => import('../power/ops.js')],
];

/** Run an operation by name (loading its module on first use). */
export async function runOp(ctx: OpsContext, name: string, args: unknown): Promise<unknown> {
  for (const [prefix, load] of MODULES) if (name.startsWith(prefix)) await load();
  return runRegistered(ctx, name, args);
}

/** Every operation's name (loads every module). */
export async function allOpNames(): Promise<string[]> {
  await Promise.all(MODULES.map(([, load]) => load()));
  return opNames();
}

export { defineOps, type OpHandler };
export type { OpsContext, ServiceHandles, ApplianceStatus, ServiceStatus } from './types.js';
export type { EnvironmentAssets, ImportResult } from './assets.js';
