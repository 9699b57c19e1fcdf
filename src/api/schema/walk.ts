/**
 * The schema walker: checks a parsed value against a Node, and builds a fresh, cleaned value (defaults
 * filled, nulls and dropped fields removed, fields in schema order). It never changes its input.
 */
import type { Node, ObjectNode } from './dsl.js';

export type Segment = string | number;

export interface Issue {
  /** `spec.bmc.port`, `spec.configPatches[0].op`, `metadata.labels[zone]`. */
  path: string;
  /** The same path as segments, for finding the YAML node. */
  at: Segment[];
  message: string;
}

export interface Report {
  errors: Issue[];
  warnings: Issue[];
}

/** `spec.bmc.port`; list indices in brackets; map keys (marked by the caller) in brackets too. */
export function pathText(at: readonly Segment[]): string {
  let out = '';
  for (const s of at) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (s.startsWith('[')) out += s;
    else out += out ? `.${s}` : s;
  }
  return out;
}

/** A map key as a segment: shown as `[key]`, looked up in YAML as `key`. */
export const mapKey = (k: string): string => `[${k}]`;

export function issue(at: Segment[], message: string): Issue {
  return { path: pathText(at), at: [...at], message };
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}

/**
 * Walk `value` against `node`; returns the cleaned value, or undefined when absent or invalid. `at` is the
 * path so far; it is used as a stack (pushed and popped) and copied only into issues.
 */
export function walk(node: Node, value: unknown, at: Segment[], r: Report, required = node.required): unknown {
  if (value === undefined || value === null) {
    if (node.default !== undefined) return walkPresent(node, structuredClone(node.default), at, r);
    if (required) r.errors.push(issue(at, value === null ? 'must not be null' : 'required field is missing'));
    return undefined;
  }
  return walkPresent(node, value, at, r);
}

function walkPresent(node: Node, value: unknown, at: Segment[], r: Report): unknown {
  switch (node.t) {
    case 'string':
      return walkString(node, value, at, r);
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) return typeError(at, 'an integer', value, r);
      if ((node.min !== undefined && value < node.min) || (node.max !== undefined && value > node.max)) {
        r.errors.push(issue(at, `${value} is out of range ${node.min ?? '-∞'}..${node.max ?? '∞'}`));
        return undefined;
      }
      return value;
    case 'bool':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && /^(y|yes|n|no|on|off)$/i.test(value)) {
        r.errors.push(issue(at, `expected a boolean, got string ${JSON.stringify(value)} (YAML 1.2 reads it as text: write true or false)`));
        return undefined;
      }
      return typeError(at, 'a boolean (true or false)', value, r);
    case 'intOrString':
      if (typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value))) return value;
      return typeError(at, 'an integer or a string', value, r);
    case 'any':
      return structuredClone(value);
    case 'unsupported':
      r.errors.push(issue(at, `not supported by Metalbox: ${node.why}`));
      return undefined;
    case 'list':
      return walkList(node.items, value, at, r);
    case 'map':
      return walkMap(node.values, node.keys, value, at, r);
    case 'object':
      return walkObject(node, value, at, r);
  }
}

function typeError(at: Segment[], expected: string, value: unknown, r: Report): undefined {
  r.errors.push(issue(at, `expected ${expected}, got ${describeValue(value)}`));
  return undefined;
}

function walkString(node: Extract<Node, { t: 'string' }>, value: unknown, at: Segment[], r: Report): unknown {
  if (typeof value !== 'string') return typeError(at, 'a string', value, r);
  if (node.enum && !node.enum.includes(value)) {
    const allowed = node.enum.map((v) => JSON.stringify(v)).join(', ');
    r.errors.push(issue(at, `unsupported value ${JSON.stringify(value)}; expected one of ${allowed}`));
    return undefined;
  }
  if (node.format && !node.format.test(value)) {
    r.errors.push(issue(at, `invalid value ${JSON.stringify(value)}: expected ${node.format.expect}`));
    return undefined;
  }
  return value;
}

function walkList(items: Node, value: unknown, at: Segment[], r: Report): unknown {
  if (!Array.isArray(value)) return typeError(at, 'a list', value, r);
  const out: unknown[] = [];
  for (let i = 0; i < value.length; i++) {
    at.push(i);
    // Kubernetes keeps null list items as zero values; here a null item is refused like a missing field.
    const w = walk(items, value[i], at, r, true);
    at.pop();
    if (w !== undefined) out.push(w);
  }
  return out;
}

function walkMap(values: Node, keys: Extract<Node, { t: 'map' }>['keys'], value: unknown, at: Segment[], r: Report): unknown {
  if (!isPlainObject(value)) return typeError(at, 'a map of key: value', value, r);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    at.push(mapKey(k));
    if (keys && !keys.test(k)) r.errors.push(issue(at, `invalid key ${JSON.stringify(k)}: expected ${keys.expect}`));
    else {
      const w = walk(values, v, at, r, true);
      if (w !== undefined) out[k] = w;
    }
    at.pop();
  }
  return out;
}

function walkObject(node: ObjectNode, value: unknown, at: Segment[], r: Report): unknown {
  if (!isPlainObject(value)) return typeError(at, 'an object', value, r);
  for (const k in value) {
    if (!Object.prototype.hasOwnProperty.call(node.fields, k)) {
      at.push(k);
      r.errors.push(issue(at, unknownField(k, Object.keys(node.fields))));
      at.pop();
    }
  }
  const out: Record<string, unknown> = {};
  for (const k in node.fields) {
    const field = node.fields[k]!;
    at.push(k);
    const w = walk(field, value[k], at, r);
    at.pop();
    if (w !== undefined && !field.drop) out[k] = w;
  }
  return out;
}

function unknownField(k: string, known: string[]): string {
  const near = closest(k, known);
  return near ? `unknown field (did you mean "${near}"?)` : 'unknown field';
}

/** The known name nearest to `word` (a small edit distance, or one is a prefix of the other), if any. */
export function closest(word: string, known: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const kl = k.toLowerCase();
    const d = editDistance(w, kl);
    const prefix = Math.min(w.length, kl.length) >= 3 && (w.startsWith(kl) || kl.startsWith(w));
    if ((d <= limit || prefix) && d < bestD) {
      best = k;
      bestD = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
