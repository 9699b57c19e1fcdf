/**
 * Talos configuration: what `talosctl gen secrets` / `gen config` and the Cluster API bootstrap provider
 * produce, byte for byte, plus Sidero's patching and client credentials. Pure library, no I/O.
 *
 * Secrets
 *   generateSecretsBundle({versionContract}) -> SecretsBundle     (async; RSA-4096 keygen runs off the loop)
 *   prepareSecretsBundle()                                        start the slow RSA key in the background
 *   parseSecretsBundle(yaml) / stringifySecretsBundle(bundle)     the `talosctl gen secrets` file format
 *     (the ops layer stores it as Secret `<cluster>-talos`, key `bundle`, like CABPT)
 *
 * Machine configs (contracts v1.7 to v1.13)
 *   generateMachineConfig({type, versionContract|talosVersion, secrets, clusterName, endpoint, ...}) -> YAML
 *   generateConfigBundle({...generator inputs, patches, controlPlanePatches, workerPatches}) -> init,
 *     controlplane, worker, talosconfig (talosctl gen config)
 *   validateMachineConfig(yaml, versionContract) -> ValidationIssue[] (path + message, per document)
 *
 * Patches
 *   applyPatches(configYaml, [{source, index, kind: 'json6902'|'strategic'|'auto', patch}]) -> YAML;
 *     atomic: throws PatchError (code TALOS_PATCH_FAILED / TALOS_PATCH_INVALID) naming source, index, path
 *   checkPatch(patch, {versionContract, machineType, baseConfig}) / checkPatches(...) -> {ok, issues, preview}
 *   renderServerConfig(configYaml, {talosConfig, serverClass, server}) -> the config Sidero serves at boot:
 *     TalosConfig JSON then strategic patches, ServerClass's, Server's, then the node label
 *     metal.sidero.dev/uuid=<uuid>; sideroPatches(...) lists them, nodeLabelPatch(...) builds the last one
 *
 * Client credentials
 *   talosconfig({clusterName, endpoints, nodes, secrets}) -> {text, certificate, notAfter}
 *   kubeconfig({clusterName, endpoint, secrets}) -> {text, certificate, notAfter}
 */
export {
  CURRENT_CONTRACT,
  SUPPORTED_CONTRACTS,
  contractString,
  defaultKubernetesVersion,
  latestRelease,
  parseContract,
  releaseTag,
  type VersionContract,
} from './contract.js';
export {
  generateSecretsBundle,
  generateToken,
  prepareSecretsBundle,
  TOKEN_PATTERN,
  type CertAndKey,
  type GenerateSecretsOptions,
  type SecretsBundle,
} from './secrets/bundle.js';
export { parseSecretsBundle, stringifySecretsBundle } from './secrets/format.js';
export { standardKeyPem } from './secrets/pki.js';
export { generateMachineConfig, generateMachineDocuments } from './generate/render.js';
export type { CNIInput, GenerateInput, MachineType } from './generate/input.js';
export { generateConfigBundle, type ConfigBundle, type ConfigBundleInput } from './configbundle.js';
export { formatIssues, validateMachineConfig, type ValidationIssue } from './schema/validate.js';
export { applyPatches, PatchError } from './patch/apply.js';
export { loadPatch, patchLabel, type ConfigPatch, type PatchKind } from './patch/load.js';
export type { JsonPatchOp } from './patch/json6902.js';
export { checkPatch, checkPatches, sampleConfig, type PatchCheckOptions, type PatchCheckResult, type PatchIssue } from './patch/check.js';
export {
  NODE_LABEL_PREFIX,
  nodeLabelPatch,
  renderServerConfig,
  setPatches,
  sideroPatches,
  type PatchSet,
  type SideroPatchSources,
} from './patch/sidero.js';
export { kubeconfig, talosconfig, type Credentials, type KubeconfigInput, type TalosconfigInput } from './clientconfig.js';
export { parseConfig, encodeConfig, type ConfigDocument } from './documents.js';
