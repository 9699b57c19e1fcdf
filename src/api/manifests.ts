/**
 * Manifests in: a multi-document YAML stream becomes validated resources, all or nothing. Every problem
 * names its document (1-based), the object (kind/name) when known, the field path, and the line and column.
 */
import { isMap, isScalar, LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { KindInfo } from './kinds.js';
import { keyOf, type Resource } from './meta.js';
import { isPlainObject, type Segment } from './schema/walk.js';
import { validateResource, type FieldProblem } from './validate.js';

export interface ManifestProblem {
  /** 1-based document number in the stream. */
  document: number;
  /** 0-based index inside a `kind: List` document. */
  item?: number;
  line?: number;
  column?: number;
  kind?: string;
  name?: string;
  /** Field path, e.g. `spec.bmc.port`. */
  path?: string;
  message: string;
}

export interface ParsedResource {
  document: number;
  item?: number;
  line: number;
  object: Resource;
  kind: KindInfo;
}

export type ManifestResult =
  | { ok: true; resources: ParsedResource[]; warnings: ManifestProblem[] }
  | { ok: false; errors: ManifestProblem[]; warnings: ManifestProblem[] };

export interface ParseOptions {
  /** Keep `status` (restoring a backup); by default status is dropped, as Kubernetes ignores it on apply. */
  keepStatus?: boolean;
}

interface Ctx {
  lc: LineCounter;
  errors: ManifestProblem[];
  warnings: ManifestProblem[];
  resources: ParsedResource[];
  opts: ParseOptions;
}

export function parseManifests(text: string, opts: ParseOptions = {}): ManifestResult {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, prettyErrors: true, uniqueKeys: true });
  const ctx: Ctx = { lc, errors: [], warnings: [], resources: [], opts };
  docs.forEach((doc, i) => readDocument(doc, i + 1, ctx));
  flagDuplicates(ctx);
  if (ctx.errors.length) return { ok: false, errors: ctx.errors, warnings: ctx.warnings };
  return { ok: true, resources: ctx.resources, warnings: ctx.warnings };
}

function readDocument(doc: Document.Parsed, n: number, ctx: Ctx): void {
  if (doc.errors.length) {
    for (const e of doc.errors) {
      const pos = e.linePos?.[0];
      ctx.errors.push({ document: n, line: pos?.line, column: pos?.col, message: yamlMessage(e.message) });
    }
    return;
  }
  // An empty document (comments only, a trailing ---, or an explicit null) holds nothing to apply.
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return;
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    ctx.errors.push({ document: n, ...position(doc, [], ctx.lc), message: (e as Error).message });
    return;
  }
  if (isPlainObject(value) && value['kind'] === 'List' && Array.isArray(value['items'])) {
    value['items'].forEach((item, i) => readObject(item, { doc, n, item: i, prefix: ['items', i] }, ctx));
    return;
  }
  readObject(value, { doc, n, prefix: [] }, ctx);
}

interface Where {
  doc: Document.Parsed;
  n: number;
  item?: number;
  prefix: Segment[];
}

function readObject(value: unknown, w: Where, ctx: Ctx): void {
  const ident = identity(value);
  const base = { document: w.n, ...(w.item !== undefined ? { item: w.item } : {}), ...ident };
  if (isPlainObject(value) && value['status'] !== undefined && !ctx.opts.keepStatus) {
    value = { ...value };
    delete (value as Record<string, unknown>)['status'];
    ctx.warnings.push({ ...base, ...position(w.doc, [...w.prefix, 'status'], ctx.lc), path: 'status', message: 'ignored on apply (Metalbox maintains status)' });
  }
  const res = validateResource(value);
  const located = (p: FieldProblem): ManifestProblem => ({
    ...base,
    ...position(w.doc, [...w.prefix, ...(p.at ?? [])], ctx.lc),
    ...(p.path ? { path: p.path } : {}),
    message: p.message,
  });
  ctx.warnings.push(...res.warnings.map(located));
  if (!res.ok) {
    ctx.errors.push(...res.errors.map(located));
    return;
  }
  const line = position(w.doc, w.prefix, ctx.lc).line ?? 1;
  ctx.resources.push({ document: w.n, ...(w.item !== undefined ? { item: w.item } : {}), line, object: res.object, kind: res.kind });
}

function identity(value: unknown): { kind?: string; name?: string } {
  if (!isPlainObject(value)) return {};
  const meta = value['metadata'];
  const name = isPlainObject(meta) && typeof meta['name'] === 'string' ? meta['name'] : undefined;
  const kind = typeof value['kind'] === 'string' ? value['kind'] : undefined;
  return { ...(kind ? { kind } : {}), ...(name ? { name } : {}) };
}

/** Line and column of the deepest existing node on `at` (a missing field points at its parent). */
function position(doc: Document.Parsed, at: readonly Segment[], lc: LineCounter): { line?: number; column?: number } {
  const keys = at.map((s) => (typeof s === 'string' && s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1) : s));
  for (let len = keys.length; len >= 0; len--) {
    const node = len === 0 ? doc.contents : doc.getIn(keys.slice(0, len), true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) {
      const keyOffset = len > 0 ? keyRange(doc, keys.slice(0, len)) : undefined;
      const pos = lc.linePos(keyOffset ?? range[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return {};
}

/** Offset of the key of a mapping entry, so an error points at `passwrd:` rather than its value. */
function keyRange(doc: Document.Parsed, keys: readonly (string | number)[]): number | undefined {
  const last = keys[keys.length - 1];
  if (typeof last !== 'string') return undefined;
  const parent = keys.length === 1 ? doc.contents : doc.getIn(keys.slice(0, -1), true);
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === last);
  return (pair?.key as { range?: [number, number, number] } | null | undefined)?.range?.[0];
}

function flagDuplicates(ctx: Ctx): void {
  const seen = new Map<string, ParsedResource>();
  for (const r of ctx.resources) {
    const key = keyOf(r.object);
    const first = seen.get(key);
    if (first) {
      ctx.warnings.push({
        document: r.document,
        kind: r.object.kind,
        name: r.object.metadata.name,
        line: r.line,
        message: `also defined in document ${first.document}; the later one wins`,
      });
    }
    seen.set(key, r);
  }
}

/** The first line of a yaml library message, without its own ` at line N, column M:` suffix. */
function yamlMessage(m: string): string {
  return m.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** `file.yaml:14:7: document 2 (Server abc): spec.bmc.passwrd: unknown field`. */
export function formatProblem(p: ManifestProblem, source?: string): string {
  const where = [source, p.line, p.line !== undefined ? p.column : undefined].filter((x) => x !== undefined).join(':');
  const item = p.item !== undefined ? ` item ${p.item}` : '';
  const what = p.kind ? ` (${p.kind}${p.name ? ` ${p.name}` : ''})` : '';
  const path = p.path ? `${p.path}: ` : '';
  return `${where ? `${where}: ` : ''}document ${p.document}${item}${what}: ${path}${p.message}`;
}
