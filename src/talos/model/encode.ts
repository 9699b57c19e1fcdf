/**
 * Encodes decoded config values into YAML nodes the way go-yaml marshals Talos's Go structs: fields in
 * declaration order, `omitempty` honoured, zero values written for fields without it, map keys sorted.
 */
import type { YNode } from '../yaml/emitter.js';
import { sortedKeys } from '../yaml/keysort.js';
import type { YamlObject, YamlValue } from '../yaml/parse.js';
import { formatDuration } from './duration.js';
import { formatGoFloat } from './numbers.js';
import type { FieldSpec, StructSpec, TypeModel, TypeRef } from './types.js';

const NULL: YNode = { kind: 'plain', value: 'null' };

function structSpec(model: TypeModel, name: string): StructSpec {
  const s = model.structs.get(name);
  if (!s) throw new Error(`unknown config type ${name}`);
  return s;
}

function has(obj: YamlObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key) && obj[key] !== undefined && obj[key] !== null;
}

/** go-yaml's isZero for a present value of a field's type. */
export function isZeroValue(model: TypeModel, type: TypeRef, v: YamlValue, pointer: boolean): boolean {
  switch (type.k) {
    case 'string':
      return v === '';
    case 'int':
    case 'float':
      return v === 0;
    case 'bool':
      return !pointer && v === false;
    case 'struct':
      return !pointer && isZeroStruct(model, structSpec(model, type.name), v as YamlObject);
    case 'list':
      return (v as YamlValue[]).length === 0;
    case 'map':
    case 'args':
      return Object.keys(v as YamlObject).length === 0;
    case 'any':
      return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;
  }
}

function isZeroStruct(model: TypeModel, spec: StructSpec, obj: YamlObject): boolean {
  return spec.fields.every((f) => !has(obj, f.key) || isZeroValue(model, f.type, obj[f.key]!, f.pointer));
}

/** The node go-yaml writes for a field that is nil or zero and has no omitempty. */
function zeroNode(model: TypeModel, f: FieldSpec): YNode {
  switch (f.type.k) {
    case 'string':
      return { kind: 'str', value: '' };
    case 'int':
    case 'float':
      return { kind: 'plain', value: '0' };
    case 'bool':
      return f.pointer ? NULL : { kind: 'plain', value: 'false' };
    case 'struct':
      return f.pointer ? NULL : encodeStruct(model, structSpec(model, f.type.name), {});
    case 'list':
      return { kind: 'seq', items: [] };
    case 'map':
    case 'args':
    case 'any':
      return { kind: 'map', entries: [] };
  }
}

export function encodeStruct(model: TypeModel, spec: StructSpec, obj: YamlObject): YNode {
  const entries: Array<[string, YNode]> = [];
  for (const f of spec.fields) {
    if (!has(obj, f.key)) {
      if (!f.omitempty) entries.push([f.key, zeroNode(model, f)]);
      continue;
    }
    const v = obj[f.key]!;
    if (f.omitempty && isZeroValue(model, f.type, v, f.pointer)) continue;
    entries.push([f.key, encodeValue(model, f.type, v)]);
  }
  return { kind: 'map', entries };
}

export function encodeValue(model: TypeModel, type: TypeRef, v: YamlValue): YNode {
  if (v === null) return NULL;
  switch (type.k) {
    case 'string':
      return { kind: 'str', value: type.duration ? formatDuration(String(v)) : String(v) };
    case 'int':
      return { kind: 'plain', value: type.filemode ? `0o${Number(v).toString(8)}` : String(Math.trunc(Number(v))) };
    case 'float':
      return { kind: 'plain', value: formatGoFloat(Number(v)) };
    case 'bool':
      return { kind: 'plain', value: v ? 'true' : 'false' };
    case 'struct':
      return encodeStruct(model, structSpec(model, type.name), v as YamlObject);
    case 'list':
      return { kind: 'seq', items: (v as YamlValue[]).map((item) => encodeValue(model, type.of, item)) };
    case 'map':
      return encodeMap(v as YamlObject, (item) => encodeValue(model, type.of, item));
    case 'args':
      return encodeMap(v as YamlObject, encodeAny);
    case 'any':
      return encodeAny(v);
  }
}

function encodeMap(obj: YamlObject, each: (v: YamlValue) => YNode): YNode {
  return { kind: 'map', entries: sortedKeys(obj).map((k) => [k, each(obj[k]!)]) };
}

/** An untyped value (Unstructured, map[string]any), as go-yaml writes interface{} values. */
export function encodeAny(v: YamlValue): YNode {
  if (v === null || v === undefined) return NULL;
  if (typeof v === 'string') return { kind: 'str', value: v };
  if (typeof v === 'boolean') return { kind: 'plain', value: v ? 'true' : 'false' };
  if (typeof v === 'number') return { kind: 'plain', value: Number.isInteger(v) ? String(v) : formatGoFloat(v) };
  if (Array.isArray(v)) return { kind: 'seq', items: v.map(encodeAny) };
  return encodeMap(v, encodeAny);
}
