/**
 * Strict decoding of parsed YAML into Talos's config types, as Talos's loader does (go-yaml with
 * KnownFields): unknown fields and wrongly typed values are errors naming the path; values are
 * normalized (YAML 1.1 booleans into bool fields, scalars into string fields, durations checked).
 */
import { oldBoolValue } from '../yaml/resolve.js';
import { isYamlObject, setKey, type YamlObject, type YamlValue } from '../yaml/parse.js';
import { parseDuration } from './duration.js';
import type { StructSpec, TypeModel, TypeRef } from './types.js';

/** A decoding problem at a path like `machine.install.disk` or `machine.network.interfaces[0]`. */
export class PathError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(path ? `${path}: ${problem}` : problem);
    this.name = 'PathError';
  }
}

export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base ? `${base}.${key}` : key;
}

function kindOf(v: YamlValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v === 'string' ? 'string' : typeof v} ${JSON.stringify(v)}`;
}

/** Custom unmarshalers Talos has for a few fields. */
const NORMALIZE: Record<string, (v: YamlValue) => YamlValue> = {
  // ClusterInlineManifests.UnmarshalYAML trims leading tabs and line breaks from each manifest.
  'v1alpha1.ClusterInlineManifest.contents': (v) => (typeof v === 'string' ? v.replace(/^[\t\n\v\f\r]+/, '') : v),
};

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function decodeStruct(model: TypeModel, spec: StructSpec, v: YamlValue, path: string): YamlObject {
  if (!isYamlObject(v)) throw new PathError(path, `expected a mapping, found ${kindOf(v)}`);
  const out: YamlObject = {};
  for (const key of Object.keys(v)) {
    const field = spec.byKey.get(key);
    if (!field) throw new PathError(joinPath(path, key), `unknown field "${key}" (not a field of ${spec.name})`);
    const value = v[key]!;
    if (value === null) continue;
    const decoded = decodeValue(model, field.type, value, joinPath(path, key));
    const normalize = NORMALIZE[`${spec.name}.${key}`];
    setKey(out, key, normalize ? normalize(decoded) : decoded);
  }
  return out;
}

function decodeString(type: Extract<TypeRef, { k: 'string' }>, v: YamlValue, path: string): string {
  if (typeof v === 'object') throw new PathError(path, `expected a string, found ${kindOf(v)}`);
  const s = String(v);
  if (type.duration && parseDuration(s) === undefined) throw new PathError(path, `"${s}" is not a duration like 30s or 1h`);
  if (type.base64 && !BASE64.test(s)) throw new PathError(path, 'is not valid base64 (a PEM block encoded with base64)');
  return s;
}

export function decodeValue(model: TypeModel, type: TypeRef, v: YamlValue, path: string): YamlValue {
  switch (type.k) {
    case 'string':
      return decodeString(type, v, path);
    case 'int':
    case 'float':
      if (typeof v !== 'number') throw new PathError(path, `expected a number, found ${kindOf(v)}`);
      return type.k === 'int' ? Math.trunc(v) : v;
    case 'bool': {
      if (typeof v === 'boolean') return v;
      const old = typeof v === 'string' ? oldBoolValue(v) : undefined;
      if (old === undefined) throw new PathError(path, `expected true or false, found ${kindOf(v)}`);
      return old;
    }
    case 'struct': {
      const spec = model.structs.get(type.name);
      if (!spec) throw new PathError(path, `unknown type ${type.name}`);
      return decodeStruct(model, spec, v, path);
    }
    case 'list':
      if (!Array.isArray(v)) throw new PathError(path, `expected a list, found ${kindOf(v)}`);
      return v.map((item, i) => (item === null ? null : decodeValue(model, type.of, item, joinPath(path, i))));
    case 'map':
      return decodeMap(v, path, (item, p) => (item === null ? nullInMap(type.of) : decodeValue(model, type.of, item, p)));
    case 'args':
      return decodeMap(v, path, (item, p) => decodeArg(item, p));
    case 'any':
      return v;
  }
}

function nullInMap(of: TypeRef): YamlValue {
  return of.k === 'string' ? '' : null;
}

function decodeMap(v: YamlValue, path: string, each: (item: YamlValue, path: string) => YamlValue): YamlObject {
  if (!isYamlObject(v)) throw new PathError(path, `expected a mapping, found ${kindOf(v)}`);
  const out: YamlObject = {};
  for (const key of Object.keys(v)) setKey(out, key, each(v[key]!, joinPath(path, key)));
  return out;
}

function decodeArg(v: YamlValue, path: string): YamlValue {
  if (v === null) return '';
  if (Array.isArray(v)) {
    return v.map((item, i) => {
      if (typeof item === 'object' && item !== null) throw new PathError(joinPath(path, i), `expected a string, found ${kindOf(item)}`);
      return item === null ? '' : String(item);
    });
  }
  if (typeof v === 'object') throw new PathError(path, `expected a string or a list of strings, found ${kindOf(v)}`);
  return String(v);
}
