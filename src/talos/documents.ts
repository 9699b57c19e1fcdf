/**
 * A machine configuration as Talos holds it: the legacy v1alpha1 document plus typed documents
 * (`apiVersion`, `kind`, optional `name`). Decoding is strict like Talos's loader; encoding writes the
 * v1alpha1 document first and separates documents with `---`, as Talos's container does.
 */
import { MetalboxError } from '../util/errors.js';
import { typeModel } from './model/build.js';
import { decodeStruct, PathError } from './model/decode.js';
import { encodeStruct } from './model/encode.js';
import { V1ALPHA1_ROOT, type TypeModel } from './model/types.js';
import { emitYaml } from './yaml/emitter.js';
import { isYamlObject, parseYamlDocuments, type YamlObject, type YamlValue } from './yaml/parse.js';

export interface ConfigDocument {
  /** `v1alpha1` for the legacy document, else the document's kind. */
  kind: string;
  /** Empty for the legacy document. */
  apiVersion: string;
  name: string | undefined;
  /** The struct in the type model. */
  struct: string;
  value: YamlObject;
}

export const LEGACY_KIND = 'v1alpha1';

/** A document that does not decode; `path` is where inside it (empty when the document as a whole is wrong). */
export class DocumentError extends MetalboxError {
  constructor(
    message: string,
    readonly path: string,
    hint: string,
  ) {
    super('TALOS_CONFIG_INVALID', message, { hint });
    this.name = 'DocumentError';
  }
}

export function documentId(d: Pick<ConfigDocument, 'apiVersion' | 'kind' | 'name'>): string {
  return `${d.apiVersion}/${d.kind}${d.name !== undefined ? `/${d.name}` : ''}`;
}

export function describeDocument(d: Pick<ConfigDocument, 'kind' | 'name'>): string {
  return d.kind === LEGACY_KIND ? 'v1alpha1 document' : `${d.kind}${d.name ? ` "${d.name}"` : ''} document`;
}

export interface DocumentHead {
  kind: string;
  apiVersion: string;
  name: string | undefined;
}

/** How Talos's decoder tells what a document is (decoder.go `decode`). */
export function documentHead(v: YamlObject, where: string): DocumentHead {
  let kind = '';
  let version = '';
  for (const key of Object.keys(v)) {
    if (key === 'kind') kind = String(v[key] ?? '');
    else if (key === 'apiVersion') version = String(v[key] ?? '');
    else if (key === 'machine' || key === 'cluster' || key === 'debug' || key === 'persist') version = 'v1alpha1';
  }
  const name = typeof v.name === 'string' ? v.name : undefined;
  if (version === 'v1alpha1' && kind === '') return { kind: LEGACY_KIND, apiVersion: '', name: undefined };
  if (kind === '') throw new MetalboxError('TALOS_CONFIG_INVALID', `${where}: document has no kind`, {
    hint: 'a v1alpha1 document needs machine: or cluster:, other documents need apiVersion: and kind:',
  });
  if (version === '') throw new MetalboxError('TALOS_CONFIG_INVALID', `${where}: ${kind} document has no apiVersion`);
  return { kind, apiVersion: version, name };
}

export function structFor(model: TypeModel, head: DocumentHead, where: string): string {
  if (head.kind === LEGACY_KIND) return V1ALPHA1_ROOT;
  const known = model.kinds.get(head.kind);
  if (!known || known.apiVersion !== head.apiVersion) {
    throw new MetalboxError('TALOS_CONFIG_INVALID', `${where}: unknown document kind ${head.apiVersion}/${head.kind}`, {
      hint: 'check the kind against the Talos configuration reference',
    });
  }
  return known.struct;
}

/** Decodes one document strictly; errors name the document and the path. */
export function decodeDocument(value: YamlValue, where: string, model = typeModel()): ConfigDocument {
  if (!isYamlObject(value)) throw new MetalboxError('TALOS_CONFIG_INVALID', `${where}: a document must be a mapping`);
  const head = documentHead(value, where);
  const struct = structFor(model, head, where);
  try {
    const decoded = decodeStruct(model, model.structs.get(struct)!, value, '');
    return { ...head, struct, value: decoded };
  } catch (e) {
    if (e instanceof PathError) {
      const hint = 'check the field name and type against the Talos configuration reference';
      throw new DocumentError(`${where}: ${describeDocument(head)}: ${e.message}`, e.path, hint);
    }
    throw e;
  }
}

/** Refuses two documents with the same identity, as Talos does. */
export function checkDuplicates(docs: ConfigDocument[], where: string): void {
  const seen = new Set<string>();
  let legacy = 0;
  for (const d of docs) {
    if (d.kind === LEGACY_KIND && ++legacy > 1) throw new MetalboxError('TALOS_CONFIG_INVALID', `${where}: more than one v1alpha1 document`);
    const id = documentId(d);
    if (seen.has(id)) throw new MetalboxError('TALOS_CONFIG_INVALID', `${where}: duplicate document ${id}`);
    seen.add(id);
  }
}

/** Parses and strictly decodes a whole machine configuration. */
export function parseConfig(text: string, where = 'machine config', model = typeModel()): ConfigDocument[] {
  const docs = parseYamlDocuments(text, where).map((d, i) => decodeDocument(d.value, `${where} (document ${i + 1})`, model));
  checkDuplicates(docs, where);
  return docs;
}

/** Encodes documents as Talos does: the v1alpha1 document first, others in order, separated by `---`. */
export function encodeConfig(docs: ConfigDocument[], model = typeModel()): string {
  const ordered = [...docs.filter((d) => d.kind === LEGACY_KIND), ...docs.filter((d) => d.kind !== LEGACY_KIND)];
  return ordered.map((d) => emitYaml(encodeStruct(model, model.structs.get(d.struct)!, d.value))).join('---\n');
}
