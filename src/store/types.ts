import type { LabelSelector, Resource } from '../api/meta.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** A committed change, delivered to watchers in commit order. */
export interface WatchEvent<R extends Resource = Resource> {
  type: WatchEventType;
  object: R;
}

export interface ListOptions {
  /** Namespaced kinds: only this namespace (default: all namespaces). */
  namespace?: string;
  labelSelector?: LabelSelector;
}

export interface WatchOptions {
  /** Only these kinds. */
  kinds?: string[];
}

/**
 * The single source of truth. Reads are synchronous from memory and return deep-frozen objects
 * (copy before changing: `structuredClone`). Writes resolve once the change is durable on disk.
 */
export interface Store {
  get<R extends Resource = Resource>(kind: string, name: string, namespace?: string): R | undefined;
  list<R extends Resource = Resource>(kind: string, opts?: ListOptions): R[];
  /** Create; refuses (STORE_EXISTS) if the object exists. Fills uid, creationTimestamp, generation, resourceVersion. */
  create<R extends Resource>(obj: R): Promise<R>;
  /**
   * Replace; refuses (STORE_CONFLICT) when `metadata.resourceVersion` is set and stale, and (STORE_NOT_FOUND)
   * when absent. `generation` is bumped when `spec` changed.
   */
  update<R extends Resource>(obj: R): Promise<R>;
  /**
   * Read-modify-write with retry on conflict: `fn` gets a mutable copy and returns it (or undefined for no
   * change). The usual way controllers and services change an object.
   */
  mutate<R extends Resource>(kind: string, name: string, namespace: string | undefined, fn: (obj: R) => R | undefined | void): Promise<R>;
  /**
   * Delete. With finalizers present the object is kept with `deletionTimestamp` set, and goes away when an
   * update removes the last finalizer.
   */
  delete(kind: string, name: string, namespace?: string): Promise<void>;
  /** Subscribe to committed changes in commit order. Returns an unsubscribe function. */
  watch(listener: (e: WatchEvent) => void, opts?: WatchOptions): () => void;
}
