import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Write a file so that after a crash or power loss it holds either the old or the new content, never a
 * mix, and the new content is on disk when the promise resolves: temp file, fsync, rename, fsync the
 * directory.
 */
export async function writeFileDurable(path: string, data: string | Uint8Array | Uint8Array[], mode = 0o600): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  const fh = await open(tmp, 'w', mode);
  try {
    // A list of buffers is written with writev: no joining or re-encoding of a large state on the main thread.
    if (Array.isArray(data)) await fh.writev(data);
    else await fh.writeFile(data);
    await fh.sync();
  } catch (e) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  await rename(tmp, path);
  await fsyncDir(dir);
}

export async function fsyncDir(dir: string): Promise<void> {
  const dh = await open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}
