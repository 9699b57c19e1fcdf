/**
 * Applying a list of patches to a machine configuration, atomically: the result is returned only when
 * every patch applied; otherwise a PatchError names the patch (source and index), the operation and the
 * path, and nothing the caller holds has changed.
 *
 * Like Talos's configpatcher.Apply, the configuration is either decoded documents (after a strategic
 * patch; written with Talos's encoder) or the bytes a JSON patch produced (written as yaml.v2 writes
 * JSON-converted data: keys sorted, 2-space indent), and is converted only when the next patch needs it.
 */
import { decodeDocument, encodeConfig, parseConfig, type ConfigDocument } from '../documents.js';
import { typeModel } from '../model/build.js';
import { PathError } from '../model/decode.js';
import { encodeAny, encodeStruct } from '../model/encode.js';
import type { TypeModel } from '../model/types.js';
import { emitYaml, type YNode } from '../yaml/emitter.js';
import { parseYamlDocuments, type YamlObject, type YamlValue } from '../yaml/parse.js';
import { resolvePlain } from '../yaml/resolve.js';
import { PatchError } from './errors.js';
import { applyJsonPatch, JsonPatchError } from './json6902.js';
import { loadPatch, type ConfigPatch, type LoadedPatch } from './load.js';
import { applyStrategicPatch } from './strategic.js';

export { PatchError };

export type ConfigState =
  | { form: 'text'; text: string }
  | { form: 'documents'; docs: ConfigDocument[] }
  | { form: 'json'; value: YamlValue };

function nodeValue(n: YNode): YamlValue {
  switch (n.kind) {
    case 'map': {
      const o: YamlObject = {};
      for (const [k, v] of n.entries) o[k] = nodeValue(v);
      return o;
    }
    case 'seq':
      return n.items.map(nodeValue);
    case 'str':
      return n.value;
    case 'plain':
      return resolvePlain(n.value).value as YamlValue;
  }
}

/** The JSON a document turns into when Talos converts its YAML for a JSON patch. */
function documentAsJson(doc: ConfigDocument, model: TypeModel): YamlValue {
  return nodeValue(encodeStruct(model, model.structs.get(doc.struct)!, doc.value));
}

export function stateText(state: ConfigState, model: TypeModel = typeModel()): string {
  if (state.form === 'text') return state.text;
  return state.form === 'documents' ? encodeConfig(state.docs, model) : emitYaml(encodeAny(state.value), 'v2');
}

const MULTI_DOC = 'JSON patches are not supported for multi-document machine configuration';
const MULTI_DOC_HINT = 'write the change as a strategic merge patch instead';

function fail(p: LoadedPatch, path: string, problem: string, hint: string, index = p.patch.index): never {
  const where = path ? ` at ${path}` : '';
  throw new PatchError(p.patch.source, index, path, `${p.label}${where}: ${problem}`, hint);
}

function applyJson(state: ConfigState, p: Extract<LoadedPatch, { kind: 'json6902' }>, model: TypeModel): ConfigState {
  let value: YamlValue;
  if (state.form === 'json') value = state.value;
  else if (state.form === 'text') {
    const docs = parseYamlDocuments(state.text, 'machine config');
    if (docs.length !== 1) return fail(p, '', MULTI_DOC, MULTI_DOC_HINT);
    value = docs[0]!.value;
  } else if (state.docs.length !== 1) {
    return fail(p, '', MULTI_DOC, MULTI_DOC_HINT);
  } else value = documentAsJson(state.docs[0]!, model);
  try {
    return { form: 'json', value: applyJsonPatch(value, p.ops) };
  } catch (e) {
    if (e instanceof JsonPatchError) {
      // Sidero sends all configPatches as one patch; the operation's position is the useful index.
      const index = p.patch.field === 'configPatches' ? e.opIndex : p.patch.index;
      const hint = 'an add needs an existing parent; replace and remove need an existing value';
      return fail(p, e.path, `operation ${e.opIndex} (${p.ops[e.opIndex]!.op}): ${e.problem}`, hint, index);
    }
    throw e;
  }
}

function applyStrategic(state: ConfigState, p: Extract<LoadedPatch, { kind: 'strategic' }>, model: TypeModel): ConfigState {
  let docs: ConfigDocument[];
  if (state.form === 'documents') docs = state.docs;
  else if (state.form === 'text') docs = parseConfig(state.text, 'machine config', model);
  else {
    try {
      docs = [decodeDocument(state.value, 'machine config after the previous JSON patch', model)];
    } catch (e) {
      return fail(p, '', (e as Error).message, 'the previous JSON patch left an invalid config');
    }
  }
  try {
    return { form: 'documents', docs: applyStrategicPatch(docs, p.strategic, model) };
  } catch (e) {
    if (e instanceof PathError) return fail(p, e.path, e.problem, 'the patch does not fit the config at that path');
    return fail(p, '', (e as Error).message, 'check the document kinds and names the patch refers to');
  }
}

/** Applies one loaded patch to a state; never modifies the input state. */
export function applyLoadedPatch(state: ConfigState, p: LoadedPatch, model: TypeModel = typeModel()): ConfigState {
  return p.kind === 'json6902' ? applyJson(state, p, model) : applyStrategic(state, p, model);
}

/** Applies the patches in order to a config; returns the new config text, or throws naming the failing patch. */
export function applyPatches(configYaml: string, patches: ConfigPatch[]): string {
  const model = typeModel();
  let state: ConfigState = { form: 'text', text: configYaml };
  for (const p of patches) state = applyLoadedPatch(state, loadPatch(p, model), model);
  return stateText(state, model);
}
