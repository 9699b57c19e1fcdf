/**
 * Parses YAML text into plain values the way go-yaml decodes into interface{}: plain scalars are resolved
 * with go-yaml's rules (resolve.ts), quoted and block scalars stay strings, timestamps stay strings.
 * Syntax errors carry the line and column.
 */
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node } from 'yaml';
import { MetalboxError } from '../../util/errors.js';
import { resolvePlain } from './resolve.js';

export type YamlValue = null | boolean | number | string | YamlValue[] | { [key: string]: YamlValue };
export type YamlObject = { [key: string]: YamlValue };

export interface ParsedDocument {
  value: YamlValue;
  /** 1-based line where the document starts. */
  line: number;
}

/** Sets a key without letting `__proto__` reach the prototype. */
export function setKey(obj: YamlObject, key: string, value: YamlValue): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

export function isYamlObject(v: unknown): v is YamlObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function scalarValue(node: Node & { value: unknown; type?: string; tag?: string }): YamlValue {
  const raw = node.value;
  const text = typeof raw === 'string' ? raw : String(raw);
  switch (node.tag) {
    case undefined:
      break;
    case 'tag:yaml.org,2002:str':
      return text;
    case 'tag:yaml.org,2002:int':
    case 'tag:yaml.org,2002:float':
      return Number(text);
    case 'tag:yaml.org,2002:bool':
      return /^true$/i.test(text);
    case 'tag:yaml.org,2002:null':
      return null;
    default:
      return text;
  }
  if (node.type !== 'PLAIN') return text;
  const r = resolvePlain(text);
  if (r.tag === 'timestamp' || r.tag === 'merge') return text;
  return r.value as YamlValue;
}

interface Budget {
  nodes: number;
}

/** Aliases can multiply a small text into a huge value; refuse beyond this many nodes. */
const MAX_NODES = 200_000;

function convert(node: Node | null | undefined, doc: Document, depth: number, budget: Budget): YamlValue {
  if (depth > 200) throw new Error('nesting is too deep');
  if (++budget.nodes > MAX_NODES) throw new Error('the document expands to too many values (alias bomb?)');
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return convert(node.resolve(doc) as Node | undefined, doc, depth + 1, budget);
  if (isScalar(node)) return scalarValue(node as Node & { value: unknown });
  if (isSeq(node)) return node.items.map((item) => convert(item as Node, doc, depth + 1, budget));
  if (isMap(node)) {
    const obj: YamlObject = {};
    for (const pair of node.items) {
      const k = pair.key as Node | null;
      if (k !== null && !isScalar(k)) throw new Error('a mapping key must be a plain value');
      const key = k === null ? '' : String((k as { value: unknown }).value ?? '');
      setKey(obj, key, convert(pair.value as Node | null, doc, depth + 1, budget));
    }
    return obj;
  }
  throw new Error('unsupported YAML node');
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * All documents of a YAML stream; empty (null) documents are dropped, as Talos's loader does.
 * `what` names the input in error messages ("patch ServerClass/workers[0]").
 */
export function parseYamlDocuments(text: string, what: string): ParsedDocument[] {
  const docs = parseAllDocuments(text, { schema: 'failsafe', prettyErrors: true, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [];
  const result: ParsedDocument[] = [];
  for (const doc of list) {
    const err = doc.errors[0];
    if (err) {
      const pos = err.linePos?.[0];
      const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
      const first = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      throw new MetalboxError('TALOS_YAML_INVALID', `${what}: invalid YAML${where}: ${first}`, {
        hint: 'fix the YAML syntax at that position',
      });
    }
    let value: YamlValue;
    try {
      value = convert(doc.contents as Node | null, doc, 0, { nodes: 0 });
    } catch (e) {
      throw new MetalboxError('TALOS_YAML_INVALID', `${what}: ${(e as Error).message}`, { cause: e });
    }
    if (value === null) continue;
    result.push({ value, line: lineOf(text, doc.range[0]) });
  }
  return result;
}

/** Exactly one document, or an error naming `what`. */
export function parseYamlDocument(text: string, what: string): YamlValue {
  const docs = parseYamlDocuments(text, what);
  if (docs.length !== 1) {
    throw new MetalboxError('TALOS_YAML_INVALID', `${what}: expected one YAML document, found ${docs.length}`);
  }
  return docs[0]!.value;
}
