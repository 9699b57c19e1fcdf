/**
 * Turning a patch as the operator wrote it (YAML/JSON text or an object) into a loaded patch, the way
 * Talos's configpatcher.LoadPatch decides: a strategic merge patch if it loads as a machine config,
 * otherwise an RFC 6902 JSON patch (JSON, or a YAML list of operations).
 */
import { MetalboxError } from '../../util/errors.js';
import { typeModel } from '../model/build.js';
import type { TypeModel } from '../model/types.js';
import { parseYamlDocuments, type YamlValue } from '../yaml/parse.js';
import { checkOps, type JsonPatchOp } from './json6902.js';
import { loadStrategicPatch, type StrategicPatch } from './strategic.js';

export type PatchKind = 'json6902' | 'strategic';

/** A patch to apply, named for error messages: `source` like `ServerClass/workers`, `index` its position. */
export interface ConfigPatch {
  source: string;
  /** The list the patch comes from, e.g. `strategicPatches`; part of its name in messages. */
  field?: string;
  index: number;
  /** `auto` decides like talosctl's --config-patch does. */
  kind: PatchKind | 'auto';
  /** YAML or JSON text, or the parsed value (a list of operations, one operation, or a config mapping). */
  patch: string | YamlValue | JsonPatchOp | JsonPatchOp[];
}

export type LoadedPatch =
  | { kind: 'json6902'; ops: JsonPatchOp[]; label: string; patch: ConfigPatch }
  | { kind: 'strategic'; strategic: StrategicPatch; label: string; patch: ConfigPatch };

export function patchLabel(p: Pick<ConfigPatch, 'source' | 'index' | 'field'>): string {
  if (p.field === 'configPatches') return `patch ${p.source} configPatches`;
  return p.field ? `patch ${p.source} ${p.field}[${p.index}]` : `patch ${p.source}[${p.index}]`;
}

function invalid(label: string, message: string, cause?: unknown): never {
  throw new MetalboxError('TALOS_PATCH_INVALID', `${label}: ${message}`, {
    hint: 'a patch is either a partial machine config (strategic merge) or a list of JSON patch operations',
    cause,
  });
}

function values(p: ConfigPatch, label: string): YamlValue[] {
  if (typeof p.patch === 'string') return parseYamlDocuments(p.patch, label).map((d) => d.value);
  return [p.patch as YamlValue];
}

function asOps(vals: YamlValue[], label: string): JsonPatchOp[] {
  if (vals.length !== 1) invalid(label, 'a JSON patch is one list of operations');
  const v = vals[0]!;
  const ops = (Array.isArray(v) ? v : [v]) as unknown;
  const problem = checkOps(ops);
  if (problem) invalid(label, problem);
  return ops as JsonPatchOp[];
}

function asStrategic(vals: YamlValue[], label: string, model: TypeModel): StrategicPatch {
  try {
    return loadStrategicPatch(vals, label, model);
  } catch (e) {
    if (e instanceof MetalboxError) throw new MetalboxError('TALOS_PATCH_INVALID', e.message, { hint: e.hint ?? '', cause: e });
    return invalid(label, (e as Error).message, e);
  }
}

/** Loads a patch; syntax errors, unknown fields and malformed operations are errors naming the patch. */
export function loadPatch(p: ConfigPatch, model: TypeModel = typeModel()): LoadedPatch {
  const label = patchLabel(p);
  const vals = values(p, label);
  if (vals.length === 0) invalid(label, 'the patch is empty');
  if (p.kind === 'json6902') return { kind: 'json6902', ops: asOps(vals, label), label, patch: p };
  if (p.kind === 'strategic') return { kind: 'strategic', strategic: asStrategic(vals, label, model), label, patch: p };
  // auto: a list is a JSON patch; anything else must load as a config.
  if (vals.length === 1 && Array.isArray(vals[0])) return { kind: 'json6902', ops: asOps(vals, label), label, patch: p };
  return { kind: 'strategic', strategic: asStrategic(vals, label, model), label, patch: p };
}
