/** Running commands for the lab: promise-based execFile with readable failures. */
import { execFile, execFileSync } from 'node:child_process';

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** Run a command; reject with its stderr when it fails. */
export function run(cmd: string, args: readonly string[], opts: { timeoutMs?: number; input?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { timeout: opts.timeoutMs ?? 30_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${stderr.trim() || err.message}`));
      else resolve({ stdout, stderr });
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** `ip` inside a namespace (`ip -n NS ...`), or in the current one when ns is undefined. */
export function ip(ns: string | undefined, ...args: string[]): Promise<RunResult> {
  return run('ip', ns ? ['-n', ns, ...args] : args);
}

/** Synchronous best-effort run, for exit handlers. */
export function runQuietSync(cmd: string, args: readonly string[]): string {
  try {
    return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).toString();
  } catch {
    return '';
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Poll `check` until it returns a value (not undefined/false) or the time is up. */
export async function waitUntil<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number, what: string, everyMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
