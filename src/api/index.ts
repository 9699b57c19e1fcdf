/** The resource model: kinds, validation and defaults, manifests in and out, ServerClass matching, profiles. */
export * from './meta.js';
export { matchesSelector, parseSelector, SelectorSyntaxError } from './selector.js';
export type * from './types/index.js';
export * as annotations from './annotations.js';
export { KINDS, findKind, kindInfo, resolveKind, type Column, type KindInfo } from './kinds.js';
export { kindJsonSchema, validateResource, type FieldProblem, type ValidationResult } from './validate.js';
export { CLUSTER_NAME_LABEL, DEPLOYMENT_NAME_LABEL } from './defaults.js';
export { BOOT_FROM_DISK_METHODS, GENERATE_TYPES, PXE_MODES } from './schema/index.js';
export { formatProblem, parseManifests, type ManifestProblem, type ManifestResult, type ParsedResource, type ParseOptions } from './manifests.js';
export { exportYaml, resourcesToJson, resourcesToYaml, resourceToYaml, toExportForm } from './serialize.js';
export { REDACTED, redact, type RedactOptions } from './redact.js';
export { editableYaml, unredact } from './edit.js';
export { classSelects, hardwareMatches, parseSize, partialMatch, qualifiersMatch, serverClassStatus, serversOfClass } from './match.js';
export { installRoot, loadProfiles, profilesDir } from './profiles.js';
