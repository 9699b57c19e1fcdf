/**
 * What `talosctl gen config` produces for a cluster: init, controlplane and worker configs with the
 * patches applied in talosctl's order (patches for all types, then control-plane patches on init and
 * controlplane, then worker patches), each checked against the schema, plus a talosconfig.
 */
import { MetalboxError } from '../util/errors.js';
import { talosconfig } from './clientconfig.js';
import { parseContract } from './contract.js';
import type { GenerateInput } from './generate/input.js';
import { generateMachineConfig } from './generate/render.js';
import { applyPatches } from './patch/apply.js';
import type { ConfigPatch } from './patch/load.js';
import { formatIssues, validateMachineConfig } from './schema/validate.js';

export interface ConfigBundleInput extends Omit<GenerateInput, 'type'> {
  /** `--config-patch`: applied to every type. */
  patches?: ConfigPatch[];
  /** `--config-patch-control-plane`: applied to init and controlplane. */
  controlPlanePatches?: ConfigPatch[];
  /** `--config-patch-worker`. */
  workerPatches?: ConfigPatch[];
  /** Endpoints written into the talosconfig (talosctl gen config writes none). */
  talosconfigEndpoints?: string[];
}

export interface ConfigBundle {
  init: string;
  controlplane: string;
  worker: string;
  talosconfig: string;
}

function checked(type: string, text: string, input: ConfigBundleInput): string {
  const issues = validateMachineConfig(text, input.versionContract ?? input.talosVersion);
  if (issues.length > 0) {
    throw new MetalboxError('TALOS_CONFIG_INVALID', `the ${type} config is not valid:\n${formatIssues(issues)}`, {
      hint: 'fix the patches or options that set these fields',
    });
  }
  return text;
}

export async function generateConfigBundle(input: ConfigBundleInput): Promise<ConfigBundle> {
  const contract = parseContract(input.versionContract ?? input.talosVersion);
  const all = input.patches ?? [];
  const render = (type: 'init' | 'controlplane' | 'worker', extra: ConfigPatch[]): string => {
    const base = generateMachineConfig({ ...input, versionContract: contract, type });
    return checked(type, applyPatches(base, [...all, ...extra]), input);
  };
  const cp = input.controlPlanePatches ?? [];
  const creds = await talosconfig({
    clusterName: input.clusterName,
    secrets: input.secrets,
    ...(input.talosconfigEndpoints ? { endpoints: input.talosconfigEndpoints } : {}),
  });
  return {
    init: render('init', cp),
    controlplane: render('controlplane', cp),
    worker: render('worker', input.workerPatches ?? []),
    talosconfig: creds.text,
  };
}
