/**
 * The order in which Sidero and the Talos bootstrap provider (CABPT) patch a machine's config, and the
 * node label Sidero adds last (metadata_server.go):
 *
 *   1. the TalosConfig's configPatches (all operations as one RFC 6902 patch), then its strategicPatches;
 *   2. the bound ServerClass's configPatches, then its strategicPatches;
 *   3. the Server's configPatches, then its strategicPatches;
 *   4. `metal.sidero.dev/uuid=<uuid>` appended to machine.kubelet.extraArgs["node-labels"]: a JSON patch
 *      for a single-document config, a strategic patch for a multi-document one (text containing `---\n`).
 */
import { MetalboxError } from '../../util/errors.js';
import { typeModel } from '../model/build.js';
import { isYamlObject, parseYamlDocuments, type YamlObject, type YamlValue } from '../yaml/parse.js';
import { applyLoadedPatch, stateText, type ConfigState } from './apply.js';
import type { JsonPatchOp } from './json6902.js';
import { loadPatch, type ConfigPatch } from './load.js';

/** Patches as Sidero's resources hold them. */
export interface PatchSet {
  configPatches?: JsonPatchOp[];
  strategicPatches?: string[];
}

export interface SideroPatchSources {
  /** The TalosConfig (or TalosConfigTemplate) the config was rendered from. */
  talosConfig?: PatchSet & { name?: string };
  /** The ServerClass the server was allocated from (ServerBinding.spec.serverClassRef). */
  serverClass?: PatchSet & { name: string };
  /** The Server; its name is the SMBIOS UUID used for the node label. */
  server: PatchSet & { name: string };
}

/** One resource's patches, named by `source` (`ServerClass/workers`): its configPatches as one RFC 6902 patch, then each strategic patch. */
export function setPatches(source: string, set: PatchSet | undefined): ConfigPatch[] {
  if (!set) return [];
  const out: ConfigPatch[] = [];
  if (set.configPatches && set.configPatches.length > 0) {
    out.push({ source, field: 'configPatches', index: 0, kind: 'json6902', patch: set.configPatches });
  }
  (set.strategicPatches ?? []).forEach((patch, index) => out.push({ source, field: 'strategicPatches', index, kind: 'strategic', patch }));
  return out;
}

/** The patches of steps 1 to 3, in order. */
export function sideroPatches(src: SideroPatchSources): ConfigPatch[] {
  return [
    ...setPatches(`TalosConfig/${src.talosConfig?.name ?? ''}`.replace(/\/$/, ''), src.talosConfig),
    ...(src.serverClass ? setPatches(`ServerClass/${src.serverClass.name}`, src.serverClass) : []),
    ...setPatches(`Server/${src.server.name}`, src.server),
  ];
}

export const NODE_LABEL_PREFIX = 'metal.sidero.dev/uuid=';

function labelFail(message: string): never {
  throw new MetalboxError('TALOS_PATCH_FAILED', `node label patch: ${message}`, {
    hint: 'the config must be a v1alpha1 machine config whose kubelet extraArgs are plain strings',
  });
}

function extraArgsOf(first: YamlValue): { machine?: YamlObject; kubelet?: YamlObject; args?: Record<string, string> } {
  if (!isYamlObject(first) || first.version !== 'v1alpha1') return labelFail('unknown config type');
  const machine = isYamlObject(first.machine ?? null) ? (first.machine as YamlObject) : undefined;
  const kubelet = machine && isYamlObject(machine.kubelet ?? null) ? (machine.kubelet as YamlObject) : undefined;
  const raw = kubelet?.extraArgs;
  if (raw === undefined || raw === null) return { ...(machine ? { machine } : {}), ...(kubelet ? { kubelet } : {}) };
  if (!isYamlObject(raw)) return labelFail('machine.kubelet.extraArgs is not a mapping');
  const args: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === 'object' && v !== null) labelFail(`machine.kubelet.extraArgs.${k} is not a string`);
    args[k] = v === null ? '' : String(v);
  }
  return { machine: machine!, kubelet: kubelet!, args };
}

/** Step 4: the patch that labels the node with the server's UUID, built from the config as it is now. */
export function nodeLabelPatch(configText: string, uuid: string): ConfigPatch {
  const label = `${NODE_LABEL_PREFIX}${uuid}`;
  const first = parseYamlDocuments(configText, 'machine config')[0]?.value ?? null;
  const { machine, kubelet, args } = extraArgsOf(first);
  const source = `Server/${uuid}`;
  if (configText.includes('---\n')) {
    const value = args?.['node-labels'] !== undefined ? `${args['node-labels']},${label}` : label;
    const patch = { machine: { kubelet: { extraArgs: { 'node-labels': value } } } };
    return { source, field: 'node label', index: 0, kind: 'strategic', patch };
  }
  let op: JsonPatchOp;
  if (!machine) op = { op: 'add', path: '/machine', value: { kubelet: { extraArgs: { 'node-labels': label } } } };
  else if (!kubelet) op = { op: 'add', path: '/machine/kubelet', value: { extraArgs: { 'node-labels': label } } };
  else if (!args) op = { op: 'add', path: '/machine/kubelet/extraArgs', value: { 'node-labels': label } };
  else {
    const value = { ...args, 'node-labels': args['node-labels'] !== undefined ? `${args['node-labels']},${label}` : label };
    op = { op: 'replace', path: '/machine/kubelet/extraArgs', value };
  }
  return { source, field: 'node label', index: 0, kind: 'json6902', patch: [op] };
}

/**
 * The config a server gets at boot: the rendered config with Sidero's patches and the node label applied.
 * Atomic; a failing patch throws a PatchError naming it.
 */
export function renderServerConfig(configYaml: string, src: SideroPatchSources): string {
  const model = typeModel();
  let state: ConfigState = { form: 'text', text: configYaml };
  for (const p of sideroPatches(src)) state = applyLoadedPatch(state, loadPatch(p, model), model);
  const text = stateText(state, model);
  const label = loadPatch(nodeLabelPatch(text, src.server.name), model);
  return stateText(applyLoadedPatch(state, label, model), model);
}
