/**
 * Tests that need root, network namespaces, QEMU or a peer program skip with a message saying what is
 * missing; they never pass silently. Usage:
 *
 *   const why = missing('root', 'netns', 'bin:qemu-system-x86_64');
 *   describe.skipIf(why)(`BIOS VM boots${skipNote(why)}`, () => { ... });
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export type Need = 'root' | 'netns' | `bin:${string}` | `file:${string}`;

const cache = new Map<string, boolean>();

function have(need: Need): boolean {
  const hit = cache.get(need);
  if (hit !== undefined) return hit;
  let ok = false;
  if (need === 'root') ok = typeof process.getuid === 'function' && process.getuid() === 0;
  else if (need === 'netns') ok = have('root') && have('bin:ip') && canMakeNetns();
  else if (need.startsWith('bin:')) ok = onPath(need.slice(4));
  else if (need.startsWith('file:')) ok = existsSync(need.slice(5));
  cache.set(need, ok);
  return ok;
}

function onPath(bin: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v "${bin}"`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function canMakeNetns(): boolean {
  const name = `mbx-probe-${process.pid}`;
  try {
    execFileSync('ip', ['netns', 'add', name], { stdio: 'ignore' });
    execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The missing needs as one message, or undefined when everything is there. */
export function missing(...needs: Need[]): string | undefined {
  const gone = needs.filter((n) => !have(n));
  if (gone.length === 0) return undefined;
  const msg = `needs ${gone.map((n) => n.replace(/^(bin|file):/, '')).join(', ')}`;
  // Say it once on the runner's output too, so a skipped suite is visible in CI logs.
  console.warn(`[skip] ${msg}`);
  return msg;
}

/** A suffix for a suite name: ` [skipped: needs root]` when something is missing. */
export function skipNote(why: string | undefined): string {
  return why ? ` [skipped: ${why}]` : '';
}
