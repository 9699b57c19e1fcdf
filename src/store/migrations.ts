import type { StateFile } from './state-file.js';

/**
 * Migrations from schema version N to N+1, applied in order at start when the file is older than this
 * build. Each takes the parsed file and returns the new one (pure; the store writes it after a backup).
 * Schema 1 is the first; add `1: (s) => ({ ...s, schemaVersion: 2, ... })` when the format changes.
 */
export type Migration = (state: StateFile) => StateFile;

export const migrations: Record<number, Migration> = {};

export function migrate(state: StateFile, target: number, table: Record<number, Migration> = migrations): StateFile {
  let s = state;
  while (s.schemaVersion < target) {
    const step = table[s.schemaVersion];
    if (!step) throw new Error(`no migration from state schema ${s.schemaVersion} to ${s.schemaVersion + 1}`);
    const next = step(s);
    if (next.schemaVersion !== s.schemaVersion + 1) throw new Error(`migration from ${s.schemaVersion} did not produce ${s.schemaVersion + 1}`);
    s = next;
  }
  return s;
}
