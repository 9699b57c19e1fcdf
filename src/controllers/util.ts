import { randomBytes } from 'node:crypto';
import type { Condition, OwnerReference, Resource } from '../api/index.js';
import type { Store } from '../store/index.js';
import { isMetalboxError } from '../util/errors.js';

/** An owner reference to `owner` (controller owner by default), as Cluster API sets them. */
export function ownerRef(owner: Resource, controller = true): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid ?? '', ...(controller ? { controller: true, blockOwnerDeletion: true } : {}) };
}

export function isOwnedBy(obj: Resource, owner: Resource): boolean {
  return (obj.metadata.ownerReferences ?? []).some((o) => o.kind === owner.kind && o.name === owner.metadata.name && (!o.uid || !owner.metadata.uid || o.uid === owner.metadata.uid));
}

export function ownerOf(obj: Resource, kind: string): string | undefined {
  return obj.metadata.ownerReferences?.find((o) => o.kind === kind)?.name;
}

/** `name-xxxxx`, as Cluster API names the Machines of a control plane or deployment. */
export function generatedName(base: string): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const bytes = randomBytes(5);
  return `${base}-${[...bytes].map((b) => alphabet[b % alphabet.length]).join('')}`;
}

/** Set (or replace) a condition, keeping lastTransitionTime when the status did not change. */
export function setCondition(conditions: Condition[] | undefined, c: Omit<Condition, 'lastTransitionTime'>): Condition[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((x) => x.type === c.type);
  const prev = i >= 0 ? list[i] : undefined;
  const next: Condition = { ...c, lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime! : new Date().toISOString() };
  if (i >= 0) list[i] = next;
  else list.push(next);
  return list;
}

export function conditionTrue(conditions: Condition[] | undefined, type: string): boolean {
  return !!conditions?.some((c) => c.type === type && c.status === 'True');
}

/** Delete, ignoring an object that is already gone. */
export async function deleteIfPresent(store: Store, kind: string, name: string, namespace?: string): Promise<void> {
  try {
    await store.delete(kind, name, namespace);
  } catch (e) {
    if (!isMetalboxError(e, 'STORE_NOT_FOUND')) throw e;
  }
}

/** Create, treating "already exists" as done (a reconcile may run twice). */
export async function createIfAbsent<R extends Resource>(store: Store, obj: R): Promise<R> {
  const cur = store.get<R>(obj.kind, obj.metadata.name, obj.metadata.namespace);
  if (cur) return cur;
  return store.create(obj);
}

/** Apply `fn` to a status copy and write it only if it changed. */
export async function patchStatus<R extends Resource>(store: Store, obj: R, fn: (status: NonNullable<R['status']>) => void): Promise<void> {
  await store.mutate<R>(obj.kind, obj.metadata.name, obj.metadata.namespace, (o) => {
    const s = (o.status ?? {}) as NonNullable<R['status']>;
    fn(s);
    o.status = s;
  });
}
