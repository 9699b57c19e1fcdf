/**
 * Turning a patch as the operator wrote it (YAML/JSON text or an object) into a loaded patch, the way
 * Talos's configpatcher.LoadPatch decides: a strategic merge patch if it loads as a machine config,
 * otherwise an RFC 6902 JSON patch (JSON, or a YAML list of operations).
 */
import { MetalboxError } from '../../util/errors.js';
import { DocumentError } from '../documents.js';
import { PatchError } from './errors.js';
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

const SHAPE_HINT = 'a patch is either a partial machine config (strategic merge) or a list of JSON patch operations';

function invalid(p: ConfigPatch, message: string, path = '', hint = SHAPE_HINT): never {
  throw new PatchError(p.source, p.index, path, `${patchLabel(p)}: ${message}`, hint, 'TALOS_PATCH_INVALID');
}

/** Re-raises an error from parsing or decoding as a PatchError naming the patch (messages already carry the label). */
function rethrow(p: ConfigPatch, e: unknown): never {
  const label = patchLabel(p);
  const strip = (m: string): string => (m.startsWith(label) ? m.slice(label.length).replace(/^[: ]+/, '') : m);
  if (e instanceof DocumentError) return invalid(p, strip(e.message), e.path, e.hint ?? SHAPE_HINT);
  if (e instanceof MetalboxError) return invalid(p, strip(e.message), '', e.hint ?? SHAPE_HINT);
  return invalid(p, (e as Error).message);
}

function values(p: ConfigPatch): YamlValue[] {
  if (typeof p.patch !== 'string') return [p.patch as YamlValue];
  try {
    return parseYamlDocuments(p.patch, patchLabel(p)).map((d) => d.value);
  } catch (e) {
    return rethrow(p, e);
  }
}

function asOps(p: ConfigPatch, vals: YamlValue[]): JsonPatchOp[] {
  if (vals.length !== 1) invalid(p, 'a JSON patch is one list of operations');
  const v = vals[0]!;
  const ops = (Array.isArray(v) ? v : [v]) as unknown;
  const problem = checkOps(ops);
  if (problem) invalid(p, problem);
  return ops as JsonPatchOp[];
}

function asStrategic(p: ConfigPatch, vals: YamlValue[], model: TypeModel): StrategicPatch {
  try {
    return loadStrategicPatch(vals, patchLabel(p), model);
  } catch (e) {
    return rethrow(p, e);
  }
}

/** Loads a patch; syntax errors, unknown fields and malformed operations are PatchErrors (TALOS_PATCH_INVALID). */
export function loadPatch(p: ConfigPatch, model: TypeModel = typeModel()): LoadedPatch {
  const label = patchLabel(p);
  const vals = values(p);
  if (vals.length === 0) invalid(p, 'the patch is empty');
  const json = p.kind === 'json6902' || (p.kind === 'auto' && vals.length === 1 && Array.isArray(vals[0]));
  if (json) return { kind: 'json6902', ops: asOps(p, vals), label, patch: p };
  return { kind: 'strategic', strategic: asStrategic(p, vals, model), label, patch: p };
}
