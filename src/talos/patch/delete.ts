/**
 * `$patch: delete` in strategic patches (Talos's configloader decoder/delete.go and selector.go): a
 * mapping holding `$patch: delete` deletes the key it sits under, a list element holding it deletes the
 * first element whose field (the element's first other key) has the same value, and a document holding
 * it at the top deletes the whole document. Deleting what is not there is an error.
 */
import { LEGACY_KIND, type ConfigDocument } from '../documents.js';
import { PathError } from '../model/decode.js';
import type { StructSpec, TypeModel, TypeRef } from '../model/types.js';
import { isYamlObject, type YamlObject, type YamlValue } from '../yaml/parse.js';

export interface DeleteSelector {
  /** Path of keys; list positions appear as `[i]` (ignored when matching). */
  path: string[];
  apiVersion: string;
  kind: string;
  name: string | undefined;
  /** For list elements: the field and value that select the element. */
  key: string;
  value: string;
}

function scalarText(v: YamlValue | undefined): string {
  if (v === null || v === undefined || typeof v === 'object') return '';
  return String(v);
}

function headOf(root: YamlObject, path: string[]): Pick<DeleteSelector, 'apiVersion' | 'kind' | 'name'> {
  let apiVersion = scalarText(root.apiVersion);
  let kind = scalarText(root.kind);
  if (path.length === 0 && (apiVersion === '' || kind === '')) {
    throw new Error(`missing ${apiVersion === '' ? 'apiVersion' : 'kind'} in document for which $patch: delete is used`);
  }
  if (kind === '' && apiVersion === '') kind = LEGACY_KIND;
  else if (kind === '' || apiVersion === '') throw new Error(`kind and apiVersion must be both set for path ${path.join('.')}`);
  if (kind === LEGACY_KIND) apiVersion = '';
  const name = scalarText(root.name);
  return { apiVersion, kind, name: name === '' ? undefined : name };
}

function isDelete(key: string, v: YamlValue | undefined): boolean {
  return key === '$patch' && v === 'delete';
}

/**
 * Removes the `$patch: delete` markers from a parsed patch document (in place) and returns the selectors,
 * plus whether what remains of the document is empty.
 */
export function extractDeletes(root: YamlObject): { selectors: DeleteSelector[]; empty: boolean } {
  const selectors: DeleteSelector[] = [];
  const visit = (parent: 'doc' | 'map' | 'seq', v: YamlValue, path: string[]): boolean => {
    if (isYamlObject(v)) {
      for (const key of Object.keys(v)) {
        if (isDelete(key, v[key])) {
          if (parent === 'seq') selectors.push({ ...headOf(root, path), path: [...path], ...elementKey(v, path) });
          else {
            if (path.some((p) => p.startsWith('['))) throw new Error(`cannot delete an inner key in '${path.join('.')}'`);
            selectors.push({ ...headOf(root, path), path: [...path], key: '', value: '' });
          }
          return true;
        }
        if (visit('map', v[key]!, [...path, key])) {
          delete v[key];
          if (Object.keys(v).length === 0) return true;
        }
      }
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        if (visit('seq', v[i]!, [...path, `[${i}]`])) {
          v.splice(i, 1);
          i--;
          if (v.length === 0) return true;
        }
      }
    }
    return false;
  };
  const wholeDoc = visit('doc', root, []);
  const empty = wholeDoc || Object.keys(root).every((k) => ['version', 'kind', 'name'].includes(k) && typeof root[k] !== 'object');
  return { selectors, empty };
}

function elementKey(v: YamlObject, path: string[]): { key: string; value: string } {
  for (const key of Object.keys(v)) {
    if (isDelete(key, v[key])) continue;
    return { key, value: scalarText(v[key]) };
  }
  throw new Error(`no key:val found in sequence node for path ${path.join('.')}`);
}

function lookupFailed(path: string[]): never {
  throw new PathError(path.join('.'), `failed to delete path '${path.join('.')}': lookup failed`);
}

function deleteIn(model: TypeModel, type: TypeRef, container: YamlValue | undefined, rest: string[], sel: DeleteSelector): void {
  const [seg, ...tail] = rest;
  if (seg === undefined) throw new PathError(sel.path.join('.'), 'path is empty');
  if (type.k === 'struct') {
    const spec = model.structs.get(type.name) as StructSpec;
    const field = spec.byKey.get(seg);
    if (!field || !isYamlObject(container ?? null)) return lookupFailed(sel.path);
    const obj = container as YamlObject;
    if (tail.length === 0) return void delete obj[seg];
    let child = obj[seg];
    if ((child === undefined || child === null) && field.type.k === 'struct' && !field.pointer) child = obj[seg] = {};
    if (child === undefined || child === null) return lookupFailed(sel.path);
    return deleteIn(model, field.type, child, tail, sel);
  }
  if (type.k === 'map' || type.k === 'args') {
    if (!isYamlObject(container ?? null) || !Object.prototype.hasOwnProperty.call(container, seg)) return lookupFailed(sel.path);
    const obj = container as YamlObject;
    if (tail.length === 0) return void delete obj[seg];
    return deleteIn(model, type.k === 'map' ? type.of : { k: 'any' }, obj[seg], tail, sel);
  }
  if (type.k === 'list') return deleteElement(model, type.of, container, seg, tail, sel);
  return lookupFailed(sel.path);
}

function deleteElement(model: TypeModel, of: TypeRef, list: YamlValue | undefined, seg: string, tail: string[], sel: DeleteSelector): void {
  const where = sel.path.join('.');
  if (tail.length !== 0) throw new PathError(where, 'searching for complex paths in slices is not supported');
  if (seg === '') throw new PathError(where, "searching for '' in a slice is not supported");
  if (!seg.startsWith('[')) throw new PathError(where, 'searching for non-integer keys in slices is not supported');
  if (!Array.isArray(list)) return lookupFailed(sel.path);
  if (of.k === 'struct') {
    const spec = model.structs.get(of.name)!;
    const field = spec.byKey.get(sel.key);
    const idx = field?.type.k === 'string' ? list.findIndex((e) => isYamlObject(e) && (e[sel.key] ?? '') === sel.value) : -1;
    if (idx >= 0) return void list.splice(idx, 1);
  }
  return lookupFailed(sel.path);
}

/** Applies one selector to its document; returns false when the whole document is to be removed. */
export function applySelector(model: TypeModel, doc: ConfigDocument, sel: DeleteSelector): boolean {
  if (sel.path.length === 0) {
    if (doc.kind === LEGACY_KIND) throw new PathError('', "can't delete the root of the legacy document");
    return false;
  }
  deleteIn(model, { k: 'struct', name: doc.struct }, doc.value, sel.path, sel);
  return true;
}
