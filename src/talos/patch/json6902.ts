/**
 * RFC 6902 JSON Patch with the behaviour of github.com/evanphx/json-patch (which Talos and Sidero use):
 * `add` needs an existing parent, `replace` and `remove` need an existing target, array indexes may be
 * `-` (append) or negative (counted from the end), `test` compares deeply.
 */
import { isYamlObject, setKey, type YamlObject, type YamlValue } from '../yaml/parse.js';

export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: YamlValue;
  from?: string;
}

/** A failed operation: which one, at which path, and why. */
export class JsonPatchError extends Error {
  constructor(
    readonly opIndex: number,
    readonly path: string,
    readonly problem: string,
  ) {
    super(`operation ${opIndex} (${path}): ${problem}`);
    this.name = 'JsonPatchError';
  }
}

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** Checks the shape of a list of operations; returns a problem per bad operation. */
export function checkOps(ops: unknown): string | undefined {
  if (!Array.isArray(ops)) return 'a JSON patch must be a list of operations';
  for (const [i, op] of ops.entries()) {
    if (!isYamlObject(op as YamlValue)) return `operation ${i} is not an object`;
    const o = op as Record<string, unknown>;
    if (typeof o.op !== 'string' || !OPS.has(o.op)) return `operation ${i} has no valid "op" (add, remove, replace, move, copy, test)`;
    if (typeof o.path !== 'string' || (o.path !== '' && !o.path.startsWith('/'))) return `operation ${i} has no valid "path" (like /machine/install/disk)`;
    if ((o.op === 'add' || o.op === 'replace' || o.op === 'test') && !('value' in o)) return `operation ${i} (${o.op}) has no "value"`;
    if ((o.op === 'move' || o.op === 'copy') && typeof o.from !== 'string') return `operation ${i} (${o.op}) has no "from"`;
  }
  return undefined;
}

function tokens(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function clone<T extends YamlValue | undefined>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => clone(x)) as T;
  const out: YamlObject = {};
  for (const k of Object.keys(v)) setKey(out, k, clone((v as YamlObject)[k]!));
  return out as T;
}

export function deepEqual(a: YamlValue | undefined, b: YamlValue | undefined): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as YamlValue[]).length && a.every((x, i) => deepEqual(x, (b as YamlValue[])[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b as YamlObject);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as YamlObject)[k], (b as YamlObject)[k]));
}

interface Located {
  parent: YamlObject | YamlValue[];
  key: string;
}

function locate(doc: YamlValue, pointer: string, fail: (m: string) => never): Located {
  const toks = tokens(pointer);
  if (toks.length === 0) fail('the root of the document cannot be patched this way');
  let cur: YamlValue = doc;
  for (const t of toks.slice(0, -1)) {
    if (Array.isArray(cur)) {
      const i = index(t, cur.length, false, fail);
      cur = cur[i]!;
    } else if (isYamlObject(cur) && Object.prototype.hasOwnProperty.call(cur, t)) {
      cur = cur[t]!;
    } else {
      fail(`the document has no /${t} on the way to ${pointer}`);
    }
  }
  if (!Array.isArray(cur) && !isYamlObject(cur)) fail(`the parent of ${pointer} is not an object or a list`);
  return { parent: cur, key: toks[toks.length - 1]! };
}

function index(t: string, len: number, forAdd: boolean, fail: (m: string) => never): number {
  if (forAdd && t === '-') return len;
  if (!/^-?\d+$/.test(t)) fail(`"${t}" is not a list index`);
  let i = Number(t);
  if (i < 0) {
    if (-i > len) fail(`index ${t} is out of range`);
    i += len;
  }
  if (i > len || (!forAdd && i === len)) fail(`index ${t} is out of range (the list has ${len} items)`);
  return i;
}

function get(loc: Located, fail: (m: string) => never): YamlValue {
  if (Array.isArray(loc.parent)) return loc.parent[index(loc.key, loc.parent.length, false, fail)]!;
  if (!Object.prototype.hasOwnProperty.call(loc.parent, loc.key)) fail(`the document has no key "${loc.key}" there`);
  return loc.parent[loc.key]!;
}

function add(loc: Located, value: YamlValue, fail: (m: string) => never): void {
  if (Array.isArray(loc.parent)) loc.parent.splice(index(loc.key, loc.parent.length, true, fail), 0, value);
  else setKey(loc.parent, loc.key, value);
}

function remove(loc: Located, fail: (m: string) => never): YamlValue {
  const v = get(loc, fail);
  if (Array.isArray(loc.parent)) loc.parent.splice(index(loc.key, loc.parent.length, false, fail), 1);
  else delete loc.parent[loc.key];
  return v;
}

/** Applies the operations to a copy of the document; the input is never modified. */
export function applyJsonPatch(document: YamlValue, ops: JsonPatchOp[]): YamlValue {
  let doc = clone(document);
  ops.forEach((op, i) => {
    const fail = (m: string): never => {
      throw new JsonPatchError(i, op.path, m);
    };
    if (op.path === '' && (op.op === 'add' || op.op === 'replace')) {
      doc = clone(op.value ?? null);
      return;
    }
    const loc = locate(doc, op.path, fail);
    switch (op.op) {
      case 'add':
        return add(loc, clone(op.value ?? null), fail);
      case 'remove':
        return void remove(loc, fail);
      case 'replace':
        get(loc, fail);
        if (Array.isArray(loc.parent)) loc.parent[index(loc.key, loc.parent.length, false, fail)] = clone(op.value ?? null);
        else setKey(loc.parent, loc.key, clone(op.value ?? null));
        return;
      case 'move': {
        const from = locate(doc, op.from!, fail);
        const v = remove(from, fail);
        return add(locate(doc, op.path, fail), v, fail);
      }
      case 'copy':
        return add(loc, clone(get(locate(doc, op.from!, fail), fail)), fail);
      case 'test':
        if (!deepEqual(get(loc, fail), op.value ?? null)) fail('test failed: the value differs');
        return;
    }
  });
  return doc;
}
