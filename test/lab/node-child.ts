/**
 * The child side of node.ts: read the JSON config from argv, run `setup`, announce `ready` (or `failed`),
 * answer calls from stdin, and stop cleanly when stdin closes (the parent ended or died).
 */
import { createInterface } from 'node:readline';

export type Emit = (msg: Record<string, unknown> & { type: string }) => void;

export interface ChildHandlers {
  ops: Record<string, (args: Record<string, unknown>) => unknown>;
  stop?: () => Promise<void> | void;
  /** Extra fields of the ready message. */
  ready?: Record<string, unknown>;
}

export const emit: Emit = (msg) => {
  process.stdout.write(`${JSON.stringify(msg)}\n`);
};

export async function serveChild<C>(setup: (config: C, emit: Emit) => Promise<ChildHandlers>): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as C;
  let handlers: ChildHandlers;
  try {
    handlers = await setup(config, emit);
  } catch (e) {
    const err = e as Error & { code?: string; hint?: string };
    emit({ type: 'failed', error: err.message, code: err.code, hint: err.hint });
    process.exit(1);
  }
  emit({ type: 'ready', ...handlers.ready });
  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => void answer(handlers, line));
  rl.on('close', () => {
    void Promise.resolve(handlers.stop?.()).finally(() => process.exit(0));
  });
}

async function answer(handlers: ChildHandlers, line: string): Promise<void> {
  let msg: Record<string, unknown>;
  try {
    msg = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return;
  }
  const id = msg.id;
  const op = handlers.ops[String(msg.op)];
  try {
    if (!op) throw new Error(`unknown op ${String(msg.op)}`);
    const result = await op(msg);
    process.stdout.write(`${JSON.stringify({ id, result: result ?? null })}\n`);
  } catch (e) {
    process.stdout.write(`${JSON.stringify({ id, error: (e as Error).message })}\n`);
  }
}
