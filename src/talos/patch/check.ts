/**
 * Edit-time checking of patches, without a machine: each patch is loaded (syntax, unknown fields, operation
 * shape), applied in order to a config (the one given, or a sample generated for the version and machine
 * type), and the result is checked against the Talos schema. Problems name the patch and the path.
 */
import { isMetalboxError } from '../../util/errors.js';
import { parseContract, type VersionContract } from '../contract.js';
import { generateMachineConfig } from '../generate/render.js';
import type { MachineType } from '../generate/input.js';
import { typeModel } from '../model/build.js';
import type { SecretsBundle } from '../secrets/bundle.js';
import { b64 } from '../secrets/pem.js';
import { validateMachineConfig } from '../schema/validate.js';
import { applyLoadedPatch, PatchError, stateText, type ConfigState } from './apply.js';
import { loadPatch, patchLabel, type ConfigPatch } from './load.js';

export interface PatchIssue {
  source: string;
  index: number;
  /** Path in the config (or the JSON pointer of the operation); empty when the whole patch is at fault. */
  path: string;
  message: string;
}

export interface PatchCheckOptions {
  versionContract?: VersionContract | string;
  /** Machine type of the sample config; default `controlplane`. */
  machineType?: MachineType;
  /** Check against this config instead of a generated sample. */
  baseConfig?: string;
}

export interface PatchCheckResult {
  ok: boolean;
  issues: PatchIssue[];
  /** The config after all patches that applied, for a preview. */
  preview: string;
}

const PLACEHOLDER_PEM = b64('-----BEGIN PLACEHOLDER-----\nAA==\n-----END PLACEHOLDER-----\n');
const ck = { crt: PLACEHOLDER_PEM, key: PLACEHOLDER_PEM };

/** Secrets with the right shape and no value, for sample configs. */
const SAMPLE_SECRETS: SecretsBundle = {
  cluster: { id: 'sample-cluster-id', secret: 'c2FtcGxl' },
  secrets: { bootstrapToken: 'sample.0123456789abcdef', secretboxEncryptionSecret: 'c2FtcGxl' },
  trustdInfo: { token: 'sample.0123456789abcdef' },
  certs: { etcd: ck, k8s: ck, k8sAggregator: ck, k8sServiceAccount: { key: PLACEHOLDER_PEM }, os: ck },
};

const samples = new Map<string, string>();

/** A generated config for a version and machine type, with placeholder secrets. */
export function sampleConfig(versionContract?: VersionContract | string, machineType: MachineType = 'controlplane'): string {
  const contract = parseContract(versionContract);
  const key = `${contract.major}.${contract.minor}/${machineType}`;
  let text = samples.get(key);
  if (!text) {
    text = generateMachineConfig({
      type: machineType,
      versionContract: contract,
      secrets: SAMPLE_SECRETS,
      clusterName: 'sample',
      endpoint: 'https://sample.invalid:6443',
      installDisk: '/dev/sda',
    });
    samples.set(key, text);
  }
  return text;
}

function issueOf(p: ConfigPatch, e: unknown): PatchIssue {
  if (e instanceof PatchError) return { source: e.source, index: e.index, path: e.path, message: e.message };
  const message = isMetalboxError(e) ? e.message : `${patchLabel(p)}: ${(e as Error).message}`;
  return { source: p.source, index: p.index, path: '', message };
}

/** Checks patches in order; stops at the first that does not apply (later ones would be checked against a wrong base). */
export function checkPatches(patches: ConfigPatch[], opts: PatchCheckOptions = {}): PatchCheckResult {
  const model = typeModel();
  const contract = parseContract(opts.versionContract);
  const base = opts.baseConfig ?? sampleConfig(contract, opts.machineType);
  let state: ConfigState = { form: 'text', text: base };
  const known = new Set(validateMachineConfig(base, contract).map((i) => `${i.document}|${i.path}|${i.message}`));
  const issues: PatchIssue[] = [];
  for (const p of patches) {
    try {
      state = applyLoadedPatch(state, loadPatch(p, model), model);
    } catch (e) {
      issues.push(issueOf(p, e));
      break;
    }
    for (const i of validateMachineConfig(stateText(state, model), contract)) {
      const id = `${i.document}|${i.path}|${i.message}`;
      if (known.has(id)) continue;
      known.add(id);
      issues.push({ source: p.source, index: p.index, path: i.path, message: `${patchLabel(p)} makes the ${i.document} invalid at ${i.path || 'its top'}: ${i.message}` });
    }
  }
  return { ok: issues.length === 0, issues, preview: stateText(state, model) };
}

/** Checks one patch; see checkPatches. */
export function checkPatch(patch: ConfigPatch, opts: PatchCheckOptions = {}): PatchCheckResult {
  return checkPatches([patch], opts);
}
