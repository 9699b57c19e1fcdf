import { isDeepStrictEqual } from 'node:util';
import { randomUUID } from 'node:crypto';
import { Low } from 'lowdb';
import { keyOf, resourceKey, type Resource } from '../api/meta.js';
import { matchesSelector } from '../api/selector.js';
import { MetalboxError } from '../util/errors.js';
import { deepFreeze } from './freeze.js';
import { SliceQueue } from './slice-queue.js';
import { DurableStateAdapter, SCHEMA_VERSION, type StateFile } from './state-file.js';
import type { ListOptions, Store, WatchEvent, WatchOptions } from './types.js';

export interface JsonStoreOptions {
  /** Path of state.json. */
  path: string;
  /** Normalise and check an object before it is stored; throw a MetalboxError to refuse it. */
  validate?: (obj: Resource) => Resource;
  /** Whether a kind is namespaced (default namespace `default`). */
  isNamespaced: (kind: string) => boolean;
  now?: () => Date;
}

interface Waiter {
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** Changes applied in memory but not yet durable, with what is needed to undo them. */
interface Batch {
  undo: { key: string; kind: string; prev: Resource | undefined; prevRv: number }[];
  events: WatchEvent[];
  waiters: Waiter[];
}

const SEP = Buffer.from(',\n');
const END = Buffer.from('\n]}\n');
/** Longest stretch of queued writes applied before yielding to the event loop. */
const SLICE_MS = 8;

const newBatch = (): Batch => ({ undo: [], events: [], waiters: [] });
const STORE_FIELDS = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp'] as const;

/**
 * The JSON file store. Changes are applied in memory in arrival order (in short slices, so a burst never
 * blocks the event loop), then everything applied since the last write goes to disk in one durable lowdb
 * write; each caller's promise resolves when its change is on disk, and watchers hear of it then, in
 * commit order. A failed write undoes everything not yet durable and rejects those callers.
 */
export class JsonStore implements Store {
  private readonly byKind = new Map<string, Map<string, Resource>>();
  /** Each object's JSON bytes, kept so a write serialises only what changed. */
  private readonly json = new Map<string, Buffer>();
  private readonly queue = new SliceQueue(SLICE_MS);
  private readonly listeners = new Set<{ fn: (e: WatchEvent) => void; kinds: Set<string> | undefined }>();
  private readonly db: Low<StateFile>;
  private rv = 0;
  private batch = newBatch();
  private flushing = false;
  private scheduled = false;
  private readonly now: () => Date;

  constructor(private readonly opts: JsonStoreOptions) {
    const adapter = new DurableStateAdapter(opts.path, (d) => this.serialise(d));
    this.db = new Low<StateFile>(adapter, { schemaVersion: SCHEMA_VERSION, resourceVersion: 0, objects: [] });
    this.now = opts.now ?? (() => new Date());
  }

  /**
   * Load objects read from disk (already checked). `owned`: the state was parsed for this store alone, so
   * its objects are frozen in place rather than copied. Their JSON is made now: made lazily, the first
   * write would stringify every object at once and block the event loop for tens of milliseconds.
   */
  load(state: StateFile, opts: { owned?: boolean } = {}): void {
    this.rv = state.resourceVersion;
    for (const o of state.objects) {
      const obj = deepFreeze(opts.owned ? o : structuredClone(o));
      this.put(keyOf(obj), obj);
      this.rv = Math.max(this.rv, Number(obj.metadata.resourceVersion ?? 0) || 0);
    }
  }

  get lastResourceVersion(): number {
    return this.rv;
  }

  get<R extends Resource = Resource>(kind: string, name: string, namespace?: string): R | undefined {
    return this.byKind.get(kind)?.get(resourceKey(kind, name, this.ns(kind, namespace))) as R | undefined;
  }

  list<R extends Resource = Resource>(kind: string, opts: ListOptions = {}): R[] {
    const all = this.byKind.get(kind);
    if (!all) return [];
    const out: R[] = [];
    for (const obj of all.values()) {
      if (opts.namespace !== undefined && this.opts.isNamespaced(kind) && obj.metadata.namespace !== opts.namespace) continue;
      if (!matchesSelector(obj.metadata.labels, opts.labelSelector)) continue;
      out.push(obj as R);
    }
    return out;
  }

  /** Every object of every kind, for export. */
  all(): Resource[] {
    return [...this.byKind.values()].flatMap((m) => [...m.values()]);
  }

  create<R extends Resource>(input: R): Promise<R> {
    return this.enqueue(() => this.applyCreate(input)) as Promise<R>;
  }

  update<R extends Resource>(input: R): Promise<R> {
    return this.enqueue(() => this.applyUpdate(input)) as Promise<R>;
  }

  async mutate<R extends Resource>(kind: string, name: string, namespace: string | undefined, fn: (obj: R) => R | undefined | void): Promise<R> {
    return this.enqueue(() => {
      const cur = this.get<R>(kind, name, namespace);
      if (!cur) throw new MetalboxError('STORE_NOT_FOUND', `${kind} ${name} does not exist`);
      const copy = structuredClone(cur) as R;
      const next = (fn(copy) ?? copy) as R;
      next.metadata.resourceVersion = cur.metadata.resourceVersion;
      if (sameJson(next, cur)) return cur;
      return this.applyUpdate(next);
    }) as Promise<R>;
  }

  delete(kind: string, name: string, namespace?: string): Promise<void> {
    return this.enqueue(() => this.applyDelete(kind, name, namespace)).then(() => undefined);
  }

  private applyCreate(input: Resource): Resource | Promise<Resource> {
    const obj = this.prepare(input);
    const key = keyOf(obj);
    if (this.byKind.get(obj.kind)?.has(key)) {
      throw new MetalboxError('STORE_EXISTS', `${describe(obj)} already exists`, { hint: 'use apply or edit to change it' });
    }
    for (const f of STORE_FIELDS) delete obj.metadata[f];
    obj.metadata.uid = randomUUID();
    obj.metadata.creationTimestamp = this.now().toISOString();
    obj.metadata.generation = 1;
    return this.commit(key, obj, 'ADDED');
  }

  private applyUpdate(input: Resource): Resource | Promise<Resource> {
    const obj = this.prepare(input);
    const key = keyOf(obj);
    const cur = this.byKind.get(obj.kind)?.get(key);
    if (!cur) throw new MetalboxError('STORE_NOT_FOUND', `${describe(obj)} does not exist`, { hint: 'create it first (apply creates or updates)' });
    const given = input.metadata.resourceVersion;
    if (given !== undefined && given !== '' && given !== cur.metadata.resourceVersion) {
      throw new MetalboxError(
        'STORE_CONFLICT',
        `${describe(obj)} was changed by someone else (you had version ${given}, it is now ${String(cur.metadata.resourceVersion)})`,
        { hint: 'read it again and reapply your change' },
      );
    }
    obj.metadata.uid = cur.metadata.uid;
    obj.metadata.creationTimestamp = cur.metadata.creationTimestamp;
    obj.metadata.generation = (cur.metadata.generation ?? 1) + (sameJson(cur.spec, obj.spec) ? 0 : 1);
    if (cur.metadata.deletionTimestamp) obj.metadata.deletionTimestamp = cur.metadata.deletionTimestamp;
    else delete obj.metadata.deletionTimestamp;
    if (obj.metadata.deletionTimestamp && !(obj.metadata.finalizers?.length)) return this.commit(key, obj, 'DELETED');
    return this.commit(key, obj, 'MODIFIED');
  }

  private applyDelete(kind: string, name: string, namespace?: string): Promise<Resource> | undefined {
    const key = resourceKey(kind, name, this.ns(kind, namespace));
    const cur = this.byKind.get(kind)?.get(key);
    if (!cur) throw new MetalboxError('STORE_NOT_FOUND', `${kind} ${name} does not exist`);
    if (cur.metadata.finalizers?.length) {
      if (cur.metadata.deletionTimestamp) return undefined;
      const marked = structuredClone(cur);
      marked.metadata.deletionTimestamp = this.now().toISOString();
      return this.commit(key, marked, 'MODIFIED');
    }
    return this.commit(key, structuredClone(cur), 'DELETED');
  }

  watch(fn: (e: WatchEvent) => void, opts: WatchOptions = {}): () => void {
    const entry = { fn, kinds: opts.kinds ? new Set(opts.kinds) : undefined };
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }

  /** Writes are applied in arrival order, in short slices (see SliceQueue). */
  private enqueue(apply: () => Resource | Promise<Resource> | undefined): Promise<Resource | undefined> {
    return this.queue.run(apply);
  }

  /** Resolves when everything queued so far is durable. */
  async flushed(): Promise<void> {
    await this.queue.drained();
    if (this.batch.undo.length === 0 && !this.flushing) return;
    await new Promise<void>((resolve, reject) => this.batch.waiters.push({ resolve, reject }));
  }

  /** Write the whole state now (after a migration, or to create the file). */
  async writeAll(): Promise<void> {
    this.db.data = { schemaVersion: SCHEMA_VERSION, resourceVersion: this.rv, objects: [] };
    await this.db.write();
  }

  private ns(kind: string, namespace: string | undefined): string | undefined {
    return this.opts.isNamespaced(kind) ? namespace || 'default' : undefined;
  }

  private prepare(input: Resource): Resource {
    let obj = structuredClone(input);
    if (!obj.metadata || typeof obj.metadata.name !== 'string' || !obj.metadata.name) {
      throw new MetalboxError('STORE_INVALID', `${obj.kind ?? 'object'} has no metadata.name`);
    }
    if (this.opts.validate) obj = this.opts.validate(obj);
    if (this.opts.isNamespaced(obj.kind)) obj.metadata.namespace ||= 'default';
    else delete obj.metadata.namespace;
    return obj;
  }

  private commit(key: string, obj: Resource, type: WatchEvent['type']): Promise<Resource> {
    const prev = this.byKind.get(obj.kind)?.get(key);
    this.batch.undo.push({ key, kind: obj.kind, prev, prevRv: this.rv });
    this.rv++;
    obj.metadata.resourceVersion = String(this.rv);
    const frozen = deepFreeze(obj);
    if (type === 'DELETED') this.drop(key, obj.kind);
    else this.put(key, frozen);
    this.batch.events.push({ type, object: frozen });
    return new Promise<Resource>((resolve, reject) => {
      this.batch.waiters.push({ resolve: () => resolve(frozen), reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.batch;
    if (batch.undo.length === 0 && batch.waiters.length === 0) return;
    this.batch = newBatch();
    this.flushing = true;
    try {
      this.db.data = { schemaVersion: SCHEMA_VERSION, resourceVersion: this.rv, objects: [] };
      await this.db.write();
    } catch (e) {
      this.flushing = false;
      const queued = this.batch;
      this.batch = newBatch();
      this.undo(queued);
      this.undo(batch);
      const err = new MetalboxError('STORE_WRITE_FAILED', `could not write the state file: ${(e as Error).message}`, {
        hint: 'check free disk space and permissions of the data directory; the change was not saved',
        cause: e,
      });
      for (const w of [...batch.waiters, ...queued.waiters]) w.reject(err);
      return;
    }
    this.flushing = false;
    for (const ev of batch.events) this.notify(ev);
    for (const w of batch.waiters) w.resolve();
    if (this.batch.undo.length || this.batch.waiters.length) this.schedule();
  }

  private undo(batch: Batch): void {
    for (const u of [...batch.undo].reverse()) {
      if (u.prev) this.put(u.key, u.prev);
      else this.drop(u.key, u.kind);
      this.rv = u.prevRv;
    }
  }

  private notify(ev: WatchEvent): void {
    for (const l of this.listeners) {
      if (l.kinds && !l.kinds.has(ev.object.kind)) continue;
      try {
        l.fn(ev);
      } catch (e) {
        process.emitWarning(`metalbox: store watcher failed: ${(e as Error).message}`);
      }
    }
  }

  private put(key: string, obj: Resource): void {
    let m = this.byKind.get(obj.kind);
    if (!m) this.byKind.set(obj.kind, (m = new Map()));
    m.set(key, obj);
    this.json.set(key, Buffer.from(JSON.stringify(obj)));
  }

  private drop(key: string, kind: string): void {
    this.byKind.get(kind)?.delete(key);
    this.json.delete(key);
  }

  private serialise(d: StateFile): Buffer[] {
    const out: Buffer[] = [Buffer.from(`{"schemaVersion":${d.schemaVersion},"resourceVersion":${d.resourceVersion},"objects":[\n`)];
    let first = true;
    for (const b of this.json.values()) {
      if (!first) out.push(SEP);
      out.push(b);
      first = false;
    }
    out.push(END);
    return out;
  }
}

/** Equal as values, whatever the key order (objects pass through validation and the store in different orders). */
function sameJson(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(a, b);
}

function describe(obj: Resource): string {
  return `${obj.kind} ${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}`;
}
