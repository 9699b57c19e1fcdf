import { kindInfo, loadProfiles, validateResource, type Resource } from './api/index.js';
import type { Settings } from './config/index.js';
import type { EventBus } from './events/index.js';
import { openStore, type JsonStore, type OpenedStore } from './store/index.js';
import { MetalboxError } from './util/errors.js';

/** Whether a kind lives in a namespace; unknown kinds are refused by validation before this matters. */
export function isNamespaced(kind: string): boolean {
  return kindInfo(kind)?.namespaced ?? true;
}

/** The store's gate: every object written is validated and normalised by the resource model. */
export function validateForStore(obj: Resource): Resource {
  const r = validateResource(obj);
  if (!r.ok) {
    const first = r.errors.slice(0, 5).map((e) => `${e.path ? `${e.path}: ` : ''}${e.message}`);
    throw new MetalboxError('INVALID', `${obj.kind} ${obj.metadata?.name ?? ''} is invalid: ${first.join('; ')}`, {
      hint: 'fix the fields named and try again; nothing was saved',
    });
  }
  return r.object;
}

export interface OpenStateOptions {
  dataDir: string;
  settings: Settings;
  events: EventBus;
}

/**
 * Open a data directory's state the way every entry point does: lock, validated store, and the built-in
 * profiles (ServerClass `any`, the Environments) created if absent, never overwriting what a user changed.
 */
export async function openState(opts: OpenStateOptions): Promise<OpenedStore> {
  const opened = await openStore({
    dataDir: opts.dataDir,
    isNamespaced,
    validate: validateForStore,
    onNote: (note) => opts.events.emit({ type: 'store.lock', detail: note }),
  });
  try {
    await ensureProfiles(opened.store);
  } catch (e) {
    await opened.close();
    throw e;
  }
  return opened;
}

export async function ensureProfiles(store: JsonStore): Promise<number> {
  let created = 0;
  for (const p of loadProfiles()) {
    if (store.get(p.kind, p.metadata.name, p.metadata.namespace)) continue;
    await store.create(p);
    created++;
  }
  return created;
}
