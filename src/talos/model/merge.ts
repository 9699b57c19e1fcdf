/**
 * Talos's strategic merge (config/merge/merge.go) on decoded values: scalars are replaced unless the
 * right side is zero (booleans always), pointers and structs merge field by field, lists are appended
 * (replaced for `merge:"replace"` fields), maps merge key by key, and a few lists merge their elements
 * by a key (network interfaces, VLANs, admission plugins, extension config files).
 */
import { clone, deepEqual } from '../patch/json6902.js';
import { isYamlObject, setKey, type YamlObject, type YamlValue } from '../yaml/parse.js';
import { joinPath, PathError } from './decode.js';
import type { FieldSpec, MergeKey, StructSpec, TypeModel, TypeRef } from './types.js';

function spec(model: TypeModel, name: string): StructSpec {
  const s = model.structs.get(name);
  if (!s) throw new Error(`unknown config type ${name}`);
  return s;
}

function present(o: YamlObject, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k) && o[k] !== null && o[k] !== undefined;
}

/** Merges right into left (left is modified). */
export function mergeStruct(model: TypeModel, s: StructSpec, left: YamlObject, right: YamlObject, path: string): void {
  for (const f of s.fields) {
    const p = joinPath(path, f.key);
    if (!present(right, f.key)) {
      // A plain bool absent on the right is false, and false is always merged.
      if (f.type.k === 'bool' && !f.pointer) delete left[f.key];
      continue;
    }
    const merged = mergeField(model, f, present(left, f.key) ? left[f.key]! : undefined, right[f.key]!, p);
    if (merged === undefined) delete left[f.key];
    else setKey(left, f.key, merged);
  }
}

function mergeField(model: TypeModel, f: FieldSpec, l: YamlValue | undefined, r: YamlValue, path: string): YamlValue | undefined {
  if (f.replace) {
    if (f.type.k === 'any' && isYamlObject(r) && Object.keys(r).length === 0) return l;
    return clone(r);
  }
  return mergeValue(model, f.type, l, r, path);
}

export function mergeValue(model: TypeModel, t: TypeRef, l: YamlValue | undefined, r: YamlValue, path: string): YamlValue | undefined {
  switch (t.k) {
    case 'string':
      return r === '' ? l : r;
    case 'int':
    case 'float':
      return r === 0 ? l : r;
    case 'bool':
      return r;
    case 'struct': {
      if (l === undefined || !isYamlObject(l)) return clone(r);
      mergeStruct(model, spec(model, t.name), l, r as YamlObject, path);
      return l;
    }
    case 'list':
      return mergeList(model, t, l as YamlValue[] | undefined, r as YamlValue[], path);
    case 'map':
      return mergeMap(l as YamlObject | undefined, r as YamlObject, (a, b, p) => mergeValue(model, t.of, a, b, p), path);
    case 'args':
      return mergeMap(l as YamlObject | undefined, r as YamlObject, (a, b) => (b === '' ? a : clone(b)), path);
    case 'any':
      return mergeAny(l, r, path);
  }
}

function mergeMap(
  l: YamlObject | undefined,
  r: YamlObject,
  each: (l: YamlValue | undefined, r: YamlValue, path: string) => YamlValue | undefined,
  path: string,
): YamlObject {
  const out = l ?? {};
  for (const k of Object.keys(r)) {
    const lv = present(out, k) ? out[k] : undefined;
    const merged = lv === undefined ? clone(r[k]!) : each(lv, r[k]!, joinPath(path, k));
    setKey(out, k, merged ?? null);
  }
  return out;
}

function matchKey(key: MergeKey, a: YamlObject, b: YamlObject): boolean {
  switch (key) {
    case 'interface':
      if (typeof b.interface === 'string' && b.interface !== '') return a.interface === b.interface;
      // Go compares the selector structs by value; a `physical` pointer never compares equal.
      return isYamlObject(b.deviceSelector ?? null) && isYamlObject(a.deviceSelector ?? null) &&
        !('physical' in (a.deviceSelector as YamlObject)) && !('physical' in (b.deviceSelector as YamlObject)) &&
        deepEqual(a.deviceSelector, b.deviceSelector);
    case 'vlanId':
      return (a.vlanId ?? 0) === (b.vlanId ?? 0);
    case 'name':
      return (a.name ?? '') === (b.name ?? '');
    case 'mountPath':
      return (a.mountPath ?? '') === (b.mountPath ?? '');
  }
}

function mergeList(model: TypeModel, t: Extract<TypeRef, { k: 'list' }>, l: YamlValue[] | undefined, r: YamlValue[], path: string): YamlValue[] {
  if (t.mergeKey && t.of.k === 'struct') {
    const out = l ?? [];
    const s = spec(model, t.of.name);
    for (const item of r) {
      const existing = isYamlObject(item) ? out.find((x) => isYamlObject(x) && matchKey(t.mergeKey!, x, item)) : undefined;
      if (existing && isYamlObject(existing)) mergeStruct(model, s, existing, item as YamlObject, path);
      else out.push(clone(item));
    }
    return out;
  }
  return [...(l ?? []), ...r.map((x) => clone(x))];
}

function goKind(v: YamlValue): string {
  if (v === null) return 'nil';
  if (Array.isArray(v)) return '[]interface {}';
  if (typeof v === 'object') return 'map[string]interface {}';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64';
  return typeof v === 'boolean' ? 'bool' : 'string';
}

/** map[string]any merging: values of the same key must have the same Go type. */
function mergeAny(l: YamlValue | undefined, r: YamlValue, path: string): YamlValue {
  if (l === undefined || l === null) return clone(r);
  const lk = goKind(l);
  const rk = goKind(r);
  if (lk !== rk) throw new PathError(path, `cannot merge a ${rk} into a ${lk}`);
  if (Array.isArray(l)) return [...l, ...(r as YamlValue[]).map((x) => clone(x))];
  if (isYamlObject(l)) {
    const rr = r as YamlObject;
    for (const k of Object.keys(rr)) {
      setKey(l, k, present(l, k) ? mergeAny(l[k], rr[k]!, joinPath(path, k)) : clone(rr[k]!));
    }
    return l;
  }
  if (typeof r === 'boolean') return r;
  return r === '' || r === 0 ? l : r;
}
