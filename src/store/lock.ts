import { closeSync, openSync, readFileSync, rmSync, writeSync, fsyncSync } from 'node:fs';
import { join } from 'node:path';
import { errnoCode, MetalboxError } from '../util/errors.js';

export const LOCK_FILE = 'metalbox.lock';

export interface DataDirLock {
  path: string;
  /** Set when a stale lock of a dead process was taken over: the message to show. */
  tookOver: string | undefined;
  release(): void;
}

/** Is a process with this pid alive (and visible to us)? */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errnoCode(e) === 'EPERM';
  }
}

/** The pid recorded in a data directory's lock file, if the file exists and holds one. */
export function lockOwner(dataDir: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(join(dataDir, LOCK_FILE), 'utf8').trim(), 10);
    return Number.isInteger(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One owner per data directory: create the lock file exclusively with our pid. A live owner makes this
 * fail naming its pid; a lock left by a dead process is taken over, and the caller is told.
 */
export function acquireLock(dataDir: string): DataDirLock {
  const path = join(dataDir, LOCK_FILE);
  let tookOver: string | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      fsyncSync(fd);
      closeSync(fd);
      return {
        path,
        tookOver,
        release: () => {
          if (lockOwner(dataDir) === process.pid) rmSync(path, { force: true });
        },
      };
    } catch (e) {
      if (errnoCode(e) !== 'EEXIST') {
        throw new MetalboxError('LOCK_FAILED', `cannot create the lock file ${path}: ${(e as Error).message}`, {
          hint: 'check that the data directory exists and is writable by this user',
          cause: e,
        });
      }
    }
    const owner = lockOwner(dataDir);
    if (owner !== undefined && owner !== process.pid && pidAlive(owner)) {
      throw new MetalboxError('ALREADY_RUNNING', `another Metalbox (pid ${owner}) already owns the data directory ${dataDir}`, {
        hint: `use that instance (CLI commands reach it automatically), stop it (kill ${owner}), or choose another --data-dir`,
      });
    }
    tookOver = `took over the lock of ${owner === undefined ? 'an unreadable lock file' : `pid ${owner}, which is no longer running`} in ${dataDir}`;
    rmSync(path, { force: true });
  }
  throw new MetalboxError('LOCK_FAILED', `could not take the lock ${path}: another process keeps creating it`);
}
