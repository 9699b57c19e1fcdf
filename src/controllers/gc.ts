import type { Resource } from '../api/index.js';
import { KINDS } from '../api/index.js';
import type { Controller, ControllerContext, Ref } from './types.js';
import { deleteIfPresent } from './util.js';

/** Kinds that can be owned (everything but Server, ServerClass and Environment, which people own). */
const OWNED = KINDS.map((k) => k.kind).filter((k) => !['Server', 'ServerClass', 'Environment'].includes(k));

/**
 * Garbage collection by ownerReferences, as Kubernetes does it: an object whose controlling owner is gone
 * (or is being deleted) is deleted too, so deleting a Cluster takes its machines, configs and bindings.
 */
export const garbageCollector: Controller = {
  name: 'gc',
  primary: '__gc__',
  watches: OWNED.map((kind) => ({
    kind,
    map: (o: Resource, ctx: ControllerContext): Ref[] => [{ name: `${kind}|${o.metadata.namespace ?? ''}|${o.metadata.name}` }, ...dependentsOf(o, ctx)],
  })),
  async reconcile(ctx, ref) {
    const [kind, ns, name] = ref.name.split('|') as [string, string, string];
    const obj = ctx.store.get(kind, name, ns || undefined);
    if (!obj) return;
    const owner = obj.metadata.ownerReferences?.find((o) => o.controller) ?? obj.metadata.ownerReferences?.[0];
    if (!owner) return;
    const ownerNs = obj.metadata.namespace;
    const cur = ctx.store.get(owner.kind, owner.name, ownerNs);
    const gone = !cur || (owner.uid && cur.metadata.uid && owner.uid !== cur.metadata.uid) || !!cur.metadata.deletionTimestamp;
    if (gone) await deleteIfPresent(ctx.store, kind, name, ns || undefined);
  },
};

/** When an owner changes (or goes), its dependents must be looked at. */
function dependentsOf(owner: Resource, ctx: ControllerContext): Ref[] {
  if (ctx.store.get(owner.kind, owner.metadata.name, owner.metadata.namespace) && !owner.metadata.deletionTimestamp) return [];
  const out: Ref[] = [];
  for (const kind of OWNED) {
    for (const o of ctx.store.list(kind, owner.metadata.namespace ? { namespace: owner.metadata.namespace } : {})) {
      if (o.metadata.ownerReferences?.some((r) => r.kind === owner.kind && r.name === owner.metadata.name)) {
        out.push({ name: `${kind}|${o.metadata.namespace ?? ''}|${o.metadata.name}` });
      }
    }
  }
  return out;
}
