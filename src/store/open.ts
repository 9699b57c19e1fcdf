import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Resource } from '../api/meta.js';
import { MetalboxError } from '../util/errors.js';
import { JsonStore } from './json-store.js';
import { acquireLock, type DataDirLock } from './lock.js';
import { migrate, migrations, type Migration } from './migrations.js';
import { checkEnvelope, parseStateFile, rotateBackups, SCHEMA_VERSION, STATE_FILE, type StateFile } from './state-file.js';

export interface OpenStoreOptions {
  dataDir: string;
  /** Normalise and check objects (the api room's validator); throws to refuse. */
  validate?: (obj: Resource) => Resource;
  isNamespaced: (kind: string) => boolean;
  /** Take the data directory lock (the appliance and one-shot CLI commands do; tests may not). */
  lock?: boolean;
  migrations?: Record<number, Migration>;
  /** Told about what happened at start (lock taken over, backup made, migration). */
  onNote?: (note: string) => void;
}

export interface OpenedStore {
  store: JsonStore;
  lock: DataDirLock | undefined;
  /** Wait for pending writes, then release the lock. */
  close(): Promise<void>;
}

/** Create the data directory (mode 0700) if needed. */
export async function ensureDataDir(dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await chmod(dataDir, 0o700);
}

/**
 * Open the state of a data directory: lock, read and check the file (refusing a corrupt one without
 * touching it), keep a backup of it, migrate it, and load it.
 */
export async function openStore(opts: OpenStoreOptions): Promise<OpenedStore> {
  await ensureDataDir(opts.dataDir);
  const lock = opts.lock === false ? undefined : acquireLock(opts.dataDir);
  if (lock?.tookOver) opts.onNote?.(lock.tookOver);
  try {
    const path = join(opts.dataDir, STATE_FILE);
    await removeStaleTemps(opts.dataDir);
    const store = new JsonStore({ path, isNamespaced: opts.isNamespaced, ...(opts.validate ? { validate: opts.validate } : {}) });
    let state: StateFile | undefined;
    if (existsSync(path)) {
      state = parseStateFile(await readFile(path, 'utf8'), path);
      if (state.schemaVersion === SCHEMA_VERSION) checkObjects(state, path, opts.validate);
      const backup = await rotateBackups(path);
      if (backup) opts.onNote?.(`state backed up to ${backup}`);
    }
    let needsWrite = !state;
    if (state && state.schemaVersion < SCHEMA_VERSION) {
      needsWrite = true;
      const from = state.schemaVersion;
      state = migrate(state, SCHEMA_VERSION, opts.migrations ?? migrations);
      checkEnvelope(state, path);
      checkObjects(state, path, opts.validate);
      opts.onNote?.(`state migrated from schema ${from} to ${SCHEMA_VERSION}`);
    }
    if (state) store.load(state, { owned: true });
    if (needsWrite) await store.writeAll();
    return {
      store,
      lock,
      close: async () => {
        await store.flushed();
        lock?.release();
      },
    };
  } catch (e) {
    lock?.release();
    throw e;
  }
}

function checkObjects(state: StateFile, path: string, validate: OpenStoreOptions['validate']): void {
  if (!validate) return;
  state.objects.forEach((o, i) => {
    try {
      validate(o); // the resource model's validation never changes its input (it builds a new object)
    } catch (e) {
      throw new MetalboxError(
        'STATE_INVALID',
        `the state file ${path} holds an invalid object: objects[${i}] ${o.kind} ${o.metadata.name}: ${(e as Error).message}`,
        {
          hint: `Metalbox has not changed it. Fix or remove that object in the file, restore a backup (cp ${path}.bak.1 ${path}), or move the file away to start empty.`,
        },
      );
    }
  });
}

/** Temp files of writes interrupted by a crash (`.state.json.<pid>.tmp`); the state file itself is intact. */
async function removeStaleTemps(dataDir: string): Promise<void> {
  for (const f of await readdir(dataDir)) {
    if (f.startsWith(`.${STATE_FILE}.`) && f.endsWith('.tmp')) await rm(join(dataDir, f), { force: true });
  }
}
