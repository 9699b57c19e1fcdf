import { annotations, type Resource } from '../api/index.js';

/** See annotations.APPLIED_FIELDS: the skeleton of what the last apply set. */
export const APPLIED_FIELDS = annotations.APPLIED_FIELDS;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The keys of `v`, recursively, with every leaf (and list) replaced by 1. */
export function skeleton(v: unknown): unknown {
  if (!isObj(v)) return 1;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) out[k] = skeleton(x);
  return out;
}

/** Three-way merge of maps: desired wins, keys only in the last applied skeleton are dropped, others kept. Lists replace. */
export function merge3(existing: unknown, desired: unknown, last: unknown): unknown {
  if (!isObj(desired) || !isObj(existing)) return structuredClone(desired);
  const out: Obj = structuredClone(existing);
  for (const [k, v] of Object.entries(desired)) out[k] = merge3(existing[k], v, isObj(last) ? last[k] : undefined);
  if (isObj(last)) for (const k of Object.keys(last)) if (!(k in desired)) delete out[k];
  return out;
}

function lastApplied(r: Resource): unknown {
  const raw = r.metadata.annotations?.[APPLIED_FIELDS];
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

/** The fields of a manifest that apply manages: everything but status and store-maintained metadata. */
function applied(desired: Resource): Obj {
  const { status: _status, ...rest } = desired as Resource & Obj;
  const m = { ...desired.metadata };
  for (const f of ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp'] as const) delete m[f];
  if (m.annotations) {
    const { [APPLIED_FIELDS]: _a, ...anns } = m.annotations;
    m.annotations = anns;
    if (Object.keys(anns).length === 0) delete m.annotations;
  }
  return { ...rest, metadata: m };
}

/** The object to store when `desired` is applied over `existing` (or created when there is none). */
export function applyOver(existing: Resource | undefined, desired: Resource): Resource {
  const want = applied(desired);
  const fields = JSON.stringify(skeleton(want));
  let next: Resource;
  if (!existing) next = structuredClone(want) as unknown as Resource;
  else {
    next = merge3(existing, want, lastApplied(existing)) as Resource;
    next.metadata.resourceVersion = existing.metadata.resourceVersion;
  }
  next.metadata.annotations = { ...next.metadata.annotations, [APPLIED_FIELDS]: fields };
  return next;
}
