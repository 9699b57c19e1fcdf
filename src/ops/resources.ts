import { isDeepStrictEqual } from 'node:util';
import {
  exportYaml,
  parseManifests,
  parseSelector,
  redact,
  resolveKind,
  SelectorSyntaxError,
  validateResource,
  type Resource,
} from '../api/index.js';
import { MetalboxError } from '../util/errors.js';
import { applyOver, APPLIED_FIELDS } from './apply-merge.js';
import { patchWarnings } from './patch-check.js';
import { defineOps } from './registry.js';
import type { OpsContext } from './types.js';

export interface GetArgs {
  kind: string;
  name?: string;
  namespace?: string;
  allNamespaces?: boolean;
  selector?: string;
  showSecrets?: boolean;
}

/** List or fetch resources by the kind names kubectl accepts. */
async function get(ctx: OpsContext, a: GetArgs): Promise<Resource[]> {
  const info = resolveKind(a.kind);
  let labelSelector;
  try {
    labelSelector = a.selector ? parseSelector(a.selector) : undefined;
  } catch (e) {
    if (e instanceof SelectorSyntaxError) throw new MetalboxError('BAD_SELECTOR', e.message);
    throw e;
  }
  const ns = info.namespaced && !a.allNamespaces ? a.namespace || 'default' : undefined;
  let found: Resource[];
  if (a.name) {
    const one = ctx.store.get(info.kind, a.name, ns);
    if (!one) throw new MetalboxError('NOT_FOUND', `${info.singular} "${a.name}" not found${ns ? ` in namespace ${ns}` : ''}`);
    found = [one];
  } else {
    found = ctx.store.list(info.kind, { ...(ns ? { namespace: ns } : {}), ...(labelSelector ? { labelSelector } : {}) });
  }
  return found.map((r) => redact(structuredClone(r), { showSecrets: a.showSecrets ?? false }));
}

export interface ApplyResult {
  kind: string;
  name: string;
  namespace?: string;
  action: 'created' | 'configured' | 'unchanged';
  /** Problems the object's Talos config patches would meet at boot (patch-check.ts). */
  warnings?: string[];
}

/**
 * Create or update every object, as `kubectl apply` does. All objects are validated first; if any is
 * invalid nothing is written.
 */
async function apply(ctx: OpsContext, a: { resources: Resource[] }): Promise<ApplyResult[]> {
  const planned: { next: Resource; existed: boolean; same: boolean }[] = [];
  const problems: string[] = [];
  a.resources.forEach((r, i) => {
    const v = validateResource(r);
    if (!v.ok) {
      problems.push(`object ${i + 1} (${r.kind} ${r.metadata?.name ?? '?'}): ${v.errors.map((e) => `${e.path ? `${e.path}: ` : ''}${e.message}`).join('; ')}`);
      return;
    }
    const want = v.object;
    const existing = ctx.store.get(want.kind, want.metadata.name, want.metadata.namespace);
    const next = applyOver(existing, want);
    const checked = validateResource(next);
    if (!checked.ok) {
      problems.push(`object ${i + 1} (${want.kind} ${want.metadata.name}) merged with what is stored: ${checked.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
      return;
    }
    const same = !!existing && isDeepStrictEqual(checked.object, existing);
    planned.push({ next: checked.object, existed: !!existing, same });
  });
  if (problems.length) {
    throw new MetalboxError('INVALID', `nothing was applied:\n  ${problems.join('\n  ')}`);
  }
  const results: ApplyResult[] = [];
  for (const p of planned) {
    const m = p.next.metadata;
    const base = { kind: p.next.kind, name: m.name, ...(m.namespace ? { namespace: m.namespace } : {}) };
    if (p.same) {
      results.push({ ...base, action: 'unchanged' });
      continue;
    }
    if (p.existed) await ctx.store.update(p.next);
    else await ctx.store.create(p.next);
    const warnings = await patchWarnings([p.next]);
    results.push({ ...base, action: p.existed ? 'configured' : 'created', ...(warnings.length ? { warnings } : {}) });
    ctx.events.emit({ type: 'resource.changed', change: p.existed ? 'updated' : 'created', kind: base.kind, name: base.name, ...(base.namespace ? { namespace: base.namespace } : {}), by: 'apply' });
  }
  return results;
}

async function remove(ctx: OpsContext, a: { kind: string; name: string; namespace?: string }): Promise<{ deleted: string; pending: boolean }> {
  const info = resolveKind(a.kind);
  const ns = info.namespaced ? a.namespace || 'default' : undefined;
  if (!ctx.store.get(info.kind, a.name, ns)) throw new MetalboxError('NOT_FOUND', `${info.singular} "${a.name}" not found${ns ? ` in namespace ${ns}` : ''}`);
  await ctx.store.delete(info.kind, a.name, ns);
  const held = ctx.store.get(info.kind, a.name, ns);
  ctx.events.emit({ type: 'resource.changed', change: 'deleted', kind: info.kind, name: a.name, ...(ns ? { namespace: ns } : {}), by: 'delete' });
  return { deleted: `${info.singular} "${a.name}"`, pending: !!held };
}

/** Every resource as one YAML stream that `kubectl apply` accepts on a Sidero management cluster. */
async function exportAll(ctx: OpsContext, a: { showSecrets?: boolean }): Promise<string> {
  const all = ctx.store.all().map((r) => {
    const c = structuredClone(r);
    if (c.metadata.annotations) {
      delete c.metadata.annotations[APPLIED_FIELDS];
      if (Object.keys(c.metadata.annotations).length === 0) delete c.metadata.annotations;
    }
    return c;
  });
  return exportYaml(all, { showSecrets: a.showSecrets ?? false });
}

export interface ValidateResult {
  ok: boolean;
  errors?: { document?: number; line?: number; column?: number; path?: string; message: string }[];
  warnings?: { document?: number; line?: number; column?: number; path?: string; message: string }[];
  /** kind/name of each object the text holds, when it is valid. */
  objects?: string[];
}

/** Check a YAML text as apply or replace would, without writing anything: problems with line and column. */
async function validate(_ctx: OpsContext, a: { yaml: string }): Promise<ValidateResult> {
  if (typeof a.yaml !== 'string') throw new MetalboxError('USAGE', 'resources.validate needs { yaml: string }');
  const p = parseManifests(a.yaml);
  if (!p.ok) return { ok: false, errors: p.errors, warnings: p.warnings };
  const patches = (await patchWarnings(p.resources.map((r) => r.object))).map((message) => ({ message }));
  return { ok: true, warnings: [...p.warnings, ...patches], objects: p.resources.map((r) => `${r.object.kind}/${r.object.metadata.name}`) };
}

/**
 * Replace one stored object with the text given, as `kubectl replace` does: the whole spec, labels and
 * annotations are what the text says. Its resourceVersion, when present, must be the stored one (a stale
 * edit is refused as a conflict, nothing is lost); status stays the controllers'.
 */
async function replace(ctx: OpsContext, a: { yaml: string }): Promise<ApplyResult> {
  if (typeof a.yaml !== 'string') throw new MetalboxError('USAGE', 'resources.replace needs { yaml: string }');
  const p = parseManifests(a.yaml);
  if (!p.ok) {
    const lines = p.errors.map((e) => `${e.line ? `line ${e.line}${e.column ? `:${e.column}` : ''}: ` : ''}${e.path ? `${e.path}: ` : ''}${e.message}`);
    throw new MetalboxError('INVALID', `nothing was replaced:\n  ${lines.join('\n  ')}`);
  }
  if (p.resources.length !== 1) throw new MetalboxError('INVALID', `replace takes exactly one object, the text holds ${p.resources.length}`);
  const want = p.resources[0]!.object;
  const m = want.metadata;
  const existing = ctx.store.get(want.kind, m.name, m.namespace);
  if (!existing) {
    throw new MetalboxError('NOT_FOUND', `${want.kind} "${m.name}" does not exist`, { hint: 'apply creates objects; replace only changes existing ones' });
  }
  const next = structuredClone(want);
  if (existing.status !== undefined) next.status = structuredClone(existing.status);
  // The record of the last apply stays unless the text sets its own (edit hides it from the operator).
  const applied = existing.metadata.annotations?.[APPLIED_FIELDS];
  if (applied && next.metadata.annotations?.[APPLIED_FIELDS] === undefined) {
    next.metadata.annotations = { ...next.metadata.annotations, [APPLIED_FIELDS]: applied };
  }
  await ctx.store.update(next);
  const base = { kind: want.kind, name: m.name, ...(m.namespace ? { namespace: m.namespace } : {}) };
  ctx.events.emit({ type: 'resource.changed', change: 'updated', ...base, by: 'replace' });
  const warnings = await patchWarnings([next]);
  return { ...base, action: 'configured', ...(warnings.length ? { warnings } : {}) };
}

defineOps({
  'resources.get': get,
  'resources.validate': validate,
  'resources.replace': replace,
  'resources.apply': apply,
  'resources.delete': remove,
  'resources.export': exportAll,
});
