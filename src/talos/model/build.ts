/**
 * Builds the type model from the compact schemas of Talos 1.13 and 1.10 (together they list every
 * field of the Go structs in declaration order, documented or deprecated) plus the Go facts in overlay.ts.
 */
import type { CompactSchema, SchemaNode } from '../schema/types.js';
import { schemaV1_10 } from '../schema/v1_10.js';
import { schemaV1_13 } from '../schema/v1_13.js';
import {
  EXTRA_FIELDS,
  EXTRA_STRUCTS,
  KEYED_LISTS,
  NOT_OMITEMPTY,
  PLAIN_BOOLS,
  REPLACE,
  TYPE_FIXES,
  VALUE_STRUCTS,
} from './overlay.js';
import type { DocumentKind, FieldSpec, StructSpec, TypeModel, TypeRef } from './types.js';

const DURATION_PATTERN = '^[-+]?(((\\d+(\\.\\d*)?|\\d*(\\.\\d+)+)([nuµm]?s|m|h))|0)+$';

const notOmitempty = new Set(NOT_OMITEMPTY);
const valueStructs = new Set(VALUE_STRUCTS);
const plainBools = new Set(PLAIN_BOOLS);
const replaceFields = new Set(REPLACE);

/** Property lists of one struct merged across schema versions, keeping Go order. */
function mergeOrder(newer: string[], older: string[]): string[] {
  const out = [...newer];
  for (let i = 0; i < older.length; i++) {
    const key = older[i]!;
    if (out.includes(key)) continue;
    let at = 0;
    for (let j = i - 1; j >= 0; j--) {
      const idx = out.indexOf(older[j]!);
      if (idx >= 0) {
        at = idx + 1;
        break;
      }
    }
    out.splice(at, 0, key);
  }
  return out;
}

class Builder {
  readonly structs = new Map<string, StructSpec>();

  constructor(private readonly defs: Map<string, SchemaNode[]>) {}

  typeOf(node: SchemaNode, owner: string): TypeRef {
    if (node.$ref) return { k: 'struct', name: this.refName(node.$ref) };
    if (node.oneOf && node.oneOf.some((o) => o.type === 'array') && node.oneOf.some((o) => o.type === 'string')) {
      return { k: 'args' };
    }
    const type = Array.isArray(node.type) ? node.type[0] : node.type;
    if (type === undefined && node.enum) return { k: 'string' };
    switch (type) {
      case 'string':
        return node.pattern === DURATION_PATTERN ? { k: 'string', duration: true } : { k: 'string' };
      case 'integer':
        return { k: 'int' };
      case 'number':
        return { k: 'float' };
      case 'boolean':
        return { k: 'bool' };
      case 'array':
        return { k: 'list', of: node.items ? this.typeOf(node.items, `${owner}[]`) : { k: 'any' } };
      default:
        return this.objectType(node, owner);
    }
  }

  private objectType(node: SchemaNode, owner: string): TypeRef {
    if (node.properties) {
      this.addStruct(owner, [node]);
      return { k: 'struct', name: owner };
    }
    const pattern = node.patternProperties ? Object.values(node.patternProperties)[0] : undefined;
    const additional = typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined;
    const valueSchema = pattern ?? additional;
    if (valueSchema) {
      const of = this.typeOf(valueSchema, `${owner}{}`);
      return of.k === 'args' ? of : { k: 'map', of };
    }
    return { k: 'any' };
  }

  private refName(ref: string): string {
    const name = ref.replace('#/$defs/', '');
    if (!this.structs.has(name)) this.addStruct(name, this.defs.get(name) ?? []);
    return name;
  }

  addStruct(name: string, versions: SchemaNode[]): void {
    if (this.structs.has(name)) return;
    const spec: StructSpec = { name, fields: [], byKey: new Map() };
    this.structs.set(name, spec);
    const [newest, ...older] = versions;
    let order = Object.keys(newest?.properties ?? {});
    for (const o of older) order = mergeOrder(order, Object.keys(o.properties ?? {}));
    const pem = order.length > 0 && order.every((k) => k === 'crt' || k === 'key');
    const required = new Set(newest?.required ?? []);
    for (const key of order) {
      const node = versions.map((v) => v.properties?.[key]).find((p) => p !== undefined)!;
      const id = `${name}.${key}`;
      let type = TYPE_FIXES[id] ?? this.typeOf(node, id);
      if (pem) type = { k: 'string', base64: true };
      if (type.k === 'list' && KEYED_LISTS[id]) type = { ...type, mergeKey: KEYED_LISTS[id] };
      const v1alpha1 = name.startsWith('v1alpha1.');
      const omitempty = !(pem || notOmitempty.has(id) || (!v1alpha1 && required.has(key)));
      this.addField(spec, { key, type, omitempty, pointer: true, replace: replaceFields.has(id) });
    }
    for (const extra of EXTRA_FIELDS[name] ?? []) {
      const field: FieldSpec = { key: extra.key, type: extra.type, omitempty: extra.omitempty ?? true, pointer: true, replace: false };
      const at = spec.fields.findIndex((f) => f.key === extra.after);
      spec.fields.splice(at + 1, 0, field);
      spec.byKey.set(field.key, field);
    }
  }

  private addField(spec: StructSpec, f: FieldSpec): void {
    const id = `${spec.name}.${f.key}`;
    if (valueStructs.has(id) || plainBools.has(id)) f.pointer = false;
    spec.fields.push(f);
    spec.byKey.set(f.key, f);
  }
}

function documentKinds(b: Builder, schemas: CompactSchema[], defs: Map<string, SchemaNode[]>): Map<string, DocumentKind> {
  const kinds = new Map<string, DocumentKind>();
  for (const schema of schemas) {
    for (const root of schema.roots) {
      const def = schema.defs[root];
      const kind = def?.properties?.kind?.enum?.[0];
      const apiVersion = def?.properties?.apiVersion?.enum?.[0];
      if (typeof kind !== 'string' || typeof apiVersion !== 'string' || kinds.has(kind)) continue;
      b.addStruct(root, defs.get(root) ?? [def!]);
      kinds.set(kind, { apiVersion, kind, struct: root, named: 'name' in (def!.properties ?? {}) });
    }
  }
  return kinds;
}

export function buildTypeModel(schemas: CompactSchema[] = [schemaV1_13, schemaV1_10]): TypeModel {
  const defs = new Map<string, SchemaNode[]>();
  for (const s of schemas) for (const [name, def] of Object.entries(s.defs)) defs.set(name, [...(defs.get(name) ?? []), def]);
  const b = new Builder(defs);
  for (const [name, fields] of Object.entries(EXTRA_STRUCTS)) {
    const spec: StructSpec = { name, fields: [], byKey: new Map() };
    for (const [key, type, omitempty] of fields) {
      const f: FieldSpec = { key, type, omitempty, pointer: true, replace: false };
      spec.fields.push(f);
      spec.byKey.set(key, f);
    }
    b.structs.set(name, spec);
  }
  for (const name of defs.keys()) if (name.startsWith('v1alpha1.')) b.addStruct(name, defs.get(name)!);
  const kinds = documentKinds(b, schemas, defs);
  return { structs: b.structs, kinds };
}

let cached: TypeModel | undefined;

/** The model, built once per process. */
export function typeModel(): TypeModel {
  cached ??= buildTypeModel();
  return cached;
}
