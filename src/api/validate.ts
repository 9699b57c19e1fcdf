/**
 * validateResource: the one door every resource goes through (apply, import, the console's editor, the
 * controllers' writes). Strict like Kubernetes: unknown fields, wrong types, missing required fields and
 * values outside an enum are refused with their path; defaults are filled in; Sidero's older shapes are
 * converted with a warning. Pure: the input is never changed.
 */
import { checkAnnotations } from './annotations.js';
import { upgrade } from './convert.js';
import { FINISHERS } from './defaults.js';
import { KINDS, kindInfo, type KindInfo } from './kinds.js';
import type { Resource } from './meta.js';
import { REDACTED } from './redact.js';
import { SCHEMAS, closest, isPlainObject, issue, obj, objectMeta, req, str, toJsonSchema, walk, type Issue, type JsonSchema, type Report, type Segment } from './schema/index.js';
import type { ObjectNode } from './schema/dsl.js';

export interface FieldProblem {
  /** `spec.bmc.port`; empty for the object as a whole. */
  path: string;
  message: string;
  /** The path as segments (map keys as `[key]`), for locating the field in a YAML document. */
  at?: Segment[];
}

export type ValidationResult =
  | { ok: true; object: Resource; warnings: FieldProblem[]; kind: KindInfo }
  | { ok: false; errors: FieldProblem[]; warnings: FieldProblem[] };

const DEFAULT_NAMESPACE = 'default';

/** Kinds whose finishers add fields (defaults that need context). */
const REORDER = new Set(['Cluster', 'Machine', 'MachineDeployment', 'TalosControlPlane', 'Secret']);

/** The whole-object schema of a kind (apiVersion, kind, metadata and the kind's own fields). */
export function kindSchema(kind: string): ObjectNode | undefined {
  const own = SCHEMAS[kind];
  return own && obj({ apiVersion: req(str()), kind: req(str()), metadata: objectMeta, ...own.fields });
}

/** A kind's schema as JSON Schema, for editors and tools. */
export function kindJsonSchema(kind: string): JsonSchema | undefined {
  const s = kindSchema(kind);
  return s && toJsonSchema(s);
}

export function validateResource(input: unknown): ValidationResult {
  const r: Report = { errors: [], warnings: [] };
  const info = identify(input, r);
  if (!info || !isPlainObject(input)) return fail(r);
  const upgraded = upgrade(input, r);
  if (!checkApiVersion(info, upgraded['apiVersion'], r)) return fail(r);
  const unmarked = checkRedactionMarkers(info.kind, upgraded, r);
  const schema = kindSchema(info.kind)!;
  const out = walk(schema, unmarked, [], r) as Record<string, unknown> | undefined;
  if (!out || r.errors.length) return fail(r);
  scopeNamespace(info, out as unknown as Resource, r);
  checkMetalboxAnnotations(info, out as unknown as Resource, r);
  FINISHERS[info.kind]?.(out, {
    error: (at, message) => r.errors.push(issue(at, message)),
    warn: (at, message) => r.warnings.push(issue(at, message)),
  });
  if (r.errors.length) return fail(r);
  // A second walk puts fields the finishers added in schema order (Go struct order), so output is stable.
  const object = (REORDER.has(info.kind) ? walk(schema, out, [], r) : out) as unknown as Resource;
  if (r.errors.length) return fail(r);
  return { ok: true, object, warnings: r.warnings.map(problem), kind: info };
}

function problem(i: Issue): FieldProblem {
  return { path: i.path, message: i.message, at: i.at };
}

function fail(r: Report): ValidationResult {
  return { ok: false, errors: r.errors.map(problem), warnings: r.warnings.map(problem) };
}

/** The kind of an input, or an error saying why it has none. */
function identify(input: unknown, r: Report): KindInfo | undefined {
  if (!isPlainObject(input)) {
    r.errors.push(issue([], `expected a Kubernetes object (a mapping with apiVersion, kind, metadata), got ${Array.isArray(input) ? 'a list' : typeof input}`));
    return undefined;
  }
  const kind = input['kind'];
  if (typeof input['apiVersion'] !== 'string') r.errors.push(issue(['apiVersion'], 'required field is missing'));
  if (typeof kind !== 'string') {
    r.errors.push(issue(['kind'], 'required field is missing'));
    return undefined;
  }
  const info = kindInfo(kind);
  if (!info) {
    const near = KINDS.find((k) => k.kind.toLowerCase() === kind.toLowerCase())?.kind ?? closest(kind, KINDS.map((k) => k.kind));
    const hint = near ? ` (did you mean "${near}"?)` : '';
    r.errors.push(issue(['kind'], `unknown kind ${JSON.stringify(kind)}${hint}; Metalbox knows ${KINDS.map((k) => k.kind).join(', ')}`));
    return undefined;
  }
  return r.errors.length ? undefined : info;
}

function checkApiVersion(info: KindInfo, apiVersion: unknown, r: Report): boolean {
  if (apiVersion === info.apiVersion) return true;
  r.errors.push(issue(['apiVersion'], `${JSON.stringify(apiVersion)} is not served for ${info.kind}; use ${info.apiVersion}`));
  return false;
}

/** Namespaced kinds default to `default`; cluster-scoped kinds carry no namespace (Kubernetes ignores it). */
function scopeNamespace(info: KindInfo, o: Resource, r: Report): void {
  if (info.namespaced) {
    o.metadata.namespace ??= DEFAULT_NAMESPACE;
  } else if (o.metadata.namespace !== undefined) {
    r.warnings.push(issue(['metadata', 'namespace'], `ignored: ${info.kind} is cluster-scoped`));
    delete o.metadata.namespace;
  }
}

function checkMetalboxAnnotations(info: KindInfo, o: Resource, r: Report): void {
  for (const p of checkAnnotations(info.kind, o.metadata.annotations)) {
    const at = ['metadata', 'annotations', `[${p.key}]`];
    (p.severity === 'error' ? r.errors : r.warnings).push(issue(at, p.message));
  }
}

/**
 * A value shown redacted must never be written back as if it were the secret. Checked on the raw input
 * (before the base64 check would give a less helpful message); returns the input without the marked
 * entries (a copy when there were any; the input itself is never changed).
 */
function checkRedactionMarkers(kind: string, o: Record<string, unknown>, r: Report): Record<string, unknown> {
  const refuse = (at: Segment[]) =>
    r.errors.push(issue(at, `is the redaction marker ${REDACTED}, not a value; give the real value or leave the field out`));
  const spec = o['spec'];
  if (kind === 'Server' && isPlainObject(spec) && isPlainObject(spec['bmc']) && spec['bmc']['pass'] === REDACTED) {
    refuse(['spec', 'bmc', 'pass']);
  }
  if (kind !== 'Secret') return o;
  let out = o;
  for (const field of ['data', 'stringData']) {
    const m = o[field];
    if (!isPlainObject(m)) continue;
    const marked = Object.keys(m).filter((k) => m[k] === REDACTED);
    if (!marked.length) continue;
    for (const k of marked) refuse([field, `[${k}]`]);
    out = { ...out, [field]: Object.fromEntries(Object.entries(m).filter(([, v]) => v !== REDACTED)) };
  }
  return out;
}
