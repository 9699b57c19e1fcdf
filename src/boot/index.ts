/**
 * Boot policy: what a machine boots now (a pure decision), who it is (identity from iPXE's facts), what
 * iPXE reported (facts, hardware), the scripts and kernel args it gets, and the boot tokens that guard
 * its machine config. No sockets here: src/http serves what this room decides.
 */
export { parseBootFacts, factsQuery, machineArch, normalizeMac, hexNumber, cleanText, MAX_FACT_LENGTH, MAX_NICS, type BootFacts, type FactsResult } from './facts.js';
export { hardwareFromFacts, serverMacs, bootFactsNote, type BootFactsNote } from './hardware.js';
export { ipxePreferenceFor, type IpxeBinaryPreference } from './ipxe-preference.js';
export { identify, macServerName, PLACEHOLDER_UUIDS, type Identity } from './identity.js';
export { decideBoot, environmentFor, isInstalled, DEFAULT_ENVIRONMENT, type BootAnswer, type BootInput } from './decide.js';
export { kernelArgs, configDataUrl, unsafeArgReason, TALOS_WIPE_ARG, TALOS_EVENTS_PORT, TALOS_KERNEL_LOG_PORT, type KernelArgsInput } from './kernel-args.js';
export { mintToken, checkToken, formatTokenRecord, parseTokenRecord, sha256Hex, type TokenRecord, type TokenCheck, type TokenVerdict } from './tokens.js';
export {
  loadTemplates,
  templatesDir,
  render,
  scriptText,
  bootScript,
  parkScript,
  installScript,
  diskScript,
  TEMPLATE_NAMES,
  type Templates,
  type TemplateName,
  type Urls,
  type InstallParams,
} from './scripts.js';
