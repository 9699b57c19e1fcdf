/**
 * Strategic merge patches (configpatcher/strategic.go): a patch is itself a (partial) machine config;
 * its documents are matched to the config's by (apiVersion, kind, name) and merged, unmatched ones are
 * appended; `$patch: delete` selectors are applied first.
 */
import { checkDuplicates, decodeDocument, documentId, LEGACY_KIND, type ConfigDocument } from '../documents.js';
import { typeModel } from '../model/build.js';
import { mergeStruct } from '../model/merge.js';
import { clone } from './json6902.js';
import type { TypeModel } from '../model/types.js';
import { isYamlObject, type YamlValue } from '../yaml/parse.js';
import { applySelector, extractDeletes, type DeleteSelector } from './delete.js';

export type PatchEntry = { type: 'delete'; selector: DeleteSelector } | { type: 'document'; document: ConfigDocument };

export interface StrategicPatch {
  entries: PatchEntry[];
}

/** Decodes the documents of a strategic patch (strictly, like Talos's loader with patch deletes allowed). */
export function loadStrategicPatch(values: YamlValue[], where: string, model: TypeModel = typeModel()): StrategicPatch {
  const raw: PatchEntry[] = [];
  values.forEach((value, i) => {
    const label = values.length > 1 ? `${where} (document ${i + 1})` : where;
    if (!isYamlObject(value)) throw new Error(`${label}: a patch document must be a mapping`);
    const copy = clone(value);
    let extracted: ReturnType<typeof extractDeletes>;
    try {
      extracted = extractDeletes(copy);
    } catch (e) {
      throw new Error(`${label}: $patch: delete: ${(e as Error).message}`);
    }
    for (const selector of extracted.selectors) raw.push({ type: 'delete', selector });
    if (!extracted.empty) raw.push({ type: 'document', document: decodeDocument(copy, label, model) });
  });
  checkDuplicates(raw.flatMap((e) => (e.type === 'document' ? [e.document] : [])), where);
  // Talos's container lists deletes aimed at the v1alpha1 document first, then that document, then the rest.
  const legacy = (e: PatchEntry): boolean => (e.type === 'delete' ? e.selector.kind : e.document.kind) === LEGACY_KIND;
  const entries = [
    ...raw.filter((e) => e.type === 'delete' && legacy(e)),
    ...raw.filter((e) => e.type === 'document' && legacy(e)),
    ...raw.filter((e) => !legacy(e)),
  ];
  return { entries };
}

function selectorId(s: DeleteSelector): string {
  return documentId({ apiVersion: s.apiVersion, kind: s.kind, name: s.name });
}

/** Applies the patch to a copy of the documents. Errors are PathErrors or plain Errors. */
export function applyStrategicPatch(docs: ConfigDocument[], patch: StrategicPatch, model: TypeModel = typeModel()): ConfigDocument[] {
  let left = docs.map((d) => ({ ...d, value: clone(d.value) }));
  for (const entry of patch.entries) {
    if (entry.type === 'delete') {
      const sel = entry.selector;
      const id = selectorId(sel);
      const target = left.find((d) => documentId(d) === id);
      if (!target) throw new Error(`patch delete: document ${id} is not in the config`);
      if (!applySelector(model, target, sel)) left = left.filter((d) => d !== target);
      continue;
    }
    const right = entry.document;
    const target = left.find((d) => documentId(d) === documentId(right));
    if (target) mergeStruct(model, model.structs.get(target.struct)!, target.value, right.value, '');
    else left.push({ ...right, value: clone(right.value) });
  }
  return left;
}
