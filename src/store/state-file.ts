import { copyFile, readFile, rename, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import type { Adapter } from 'lowdb';
import type { Resource } from '../api/meta.js';
import { writeFileDurable } from '../util/durable.js';
import { MetalboxError } from '../util/errors.js';
import { locateJsonError } from '../util/json-error.js';

/** The schema version this build writes. Bump it with a migration in migrations.ts. */
export const SCHEMA_VERSION = 1;

/** The state file on disk. */
export interface StateFile {
  schemaVersion: number;
  /** The last committed resourceVersion. */
  resourceVersion: number;
  objects: Resource[];
}

export const STATE_FILE = 'state.json';

/**
 * lowdb adapter with a durable write path (lowdb's own writer renames without fsync). Serialisation is
 * supplied by the store so unchanged objects are not re-serialised on every write.
 */
export class DurableStateAdapter implements Adapter<StateFile> {
  constructor(
    readonly path: string,
    private readonly serialise: (data: StateFile) => Buffer[],
  ) {}

  async read(): Promise<StateFile | null> {
    if (!existsSync(this.path)) return null;
    const text = await readFile(this.path, 'utf8');
    return parseStateFile(text, this.path);
  }

  async write(data: StateFile): Promise<void> {
    await writeFileDurable(this.path, this.serialise(data));
  }
}

function corrupt(path: string, what: string): MetalboxError {
  return new MetalboxError('STATE_CORRUPT', `the state file ${path} is unusable: ${what}`, {
    hint:
      `Metalbox has not changed it. Restore the last good copy (cp ${path}.bak.1 ${path}), ` +
      `or move it away (mv ${path} ${path}.broken) to start empty, then start again.`,
  });
}

/**
 * Parse a state file's text and check its schema version; never modifies the file. A file of an older
 * schema is returned as parsed, for the migrations; call checkEnvelope after migrating.
 */
export function parseStateFile(text: string, path: string): StateFile {
  if (text.trim() === '') throw corrupt(path, 'the file is empty (was it truncated?)');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const at = locateJsonError(text);
    throw corrupt(path, at ? `not valid JSON at line ${at.line}, column ${at.column}: ${at.message}` : (e as Error).message);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw corrupt(path, 'expected a JSON object at the top');
  const d = data as Record<string, unknown>;
  if (!Number.isInteger(d.schemaVersion)) throw corrupt(path, 'schemaVersion is missing or not a whole number');
  if ((d.schemaVersion as number) > SCHEMA_VERSION) {
    throw new MetalboxError(
      'STATE_TOO_NEW',
      `the state file ${path} has schema ${String(d.schemaVersion)}, newer than this Metalbox understands (${SCHEMA_VERSION})`,
      { hint: 'run the newer Metalbox that wrote it, or restore a backup made by this version' },
    );
  }
  if (d.schemaVersion === SCHEMA_VERSION) checkEnvelope(d, path);
  return data as StateFile;
}

/** Check the current schema's envelope: resourceVersion and a list of resources. */
export function checkEnvelope(data: unknown, path: string): void {
  const d = data as Record<string, unknown>;
  if (!Number.isInteger(d.resourceVersion) || (d.resourceVersion as number) < 0) {
    throw corrupt(path, 'resourceVersion is missing or not a whole number');
  }
  if (!Array.isArray(d.objects)) throw corrupt(path, 'objects is missing or not a list');
  d.objects.forEach((o, i) => {
    const r = o as Partial<Resource> | null;
    if (!r || typeof r !== 'object' || typeof r.kind !== 'string' || typeof r.apiVersion !== 'string' || !r.metadata || typeof r.metadata.name !== 'string') {
      throw corrupt(path, `objects[${i}] is not a resource (needs apiVersion, kind and metadata.name)`);
    }
  });
}

/**
 * Keep the last good state: `state.json.bak.1` (newest) to `.bak.3`, rotated at each start after the file
 * was read successfully.
 */
export async function rotateBackups(path: string, keep = 3): Promise<string | undefined> {
  if (!existsSync(path)) return undefined;
  await rm(`${path}.bak.${keep}`, { force: true });
  for (let i = keep - 1; i >= 1; i--) {
    if (existsSync(`${path}.bak.${i}`)) await rename(`${path}.bak.${i}`, `${path}.bak.${i + 1}`);
  }
  await copyFile(path, `${path}.bak.1`);
  return `${path}.bak.1`;
}
