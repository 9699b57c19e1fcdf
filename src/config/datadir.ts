import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where Metalbox keeps its state: `--data-dir`, else `$METALBOX_DATA_DIR`, else `/var/lib/metalbox`
 * when root, else `$XDG_DATA_HOME/metalbox` (`~/.local/share/metalbox`).
 */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return resolve(flag);
  if (env.METALBOX_DATA_DIR) return resolve(env.METALBOX_DATA_DIR);
  if (typeof process.getuid === 'function' && process.getuid() === 0) return '/var/lib/metalbox';
  const xdg = env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share');
  return join(xdg, 'metalbox');
}
