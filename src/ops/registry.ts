import { MetalboxError } from '../util/errors.js';
import type { OpsContext } from './types.js';

/** An operation: business logic shared by the console and the CLI. Arguments and results are JSON. */
// The table holds handlers of different argument types; each handler checks its own arguments.
export type OpHandler = (ctx: OpsContext, args: any) => Promise<unknown>; // any: arguments arrive as JSON from the control socket

const table = new Map<string, OpHandler>();

/** Rooms register their operations when their module loads (ops/index.ts loads them by name prefix). */
export function defineOps(ops: Record<string, OpHandler>): void {
  for (const [name, fn] of Object.entries(ops)) {
    if (table.has(name)) throw new Error(`operation ${name} defined twice`);
    table.set(name, fn);
  }
}

export function opNames(): string[] {
  return [...table.keys()].sort();
}

export async function runRegistered(ctx: OpsContext, name: string, args: unknown): Promise<unknown> {
  const fn = table.get(name);
  if (!fn) throw new MetalboxError('OP_UNKNOWN', `unknown operation ${name}`, { hint: 'the CLI and the running instance may be different versions; restart the instance' });
  return fn(ctx, args ?? {});
}
