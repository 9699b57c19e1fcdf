/**
 * Environments and the asset cache: content-addressed kernels and initrds (by sha512) in the data
 * directory, import from files (air-gapped) and pull by URL (only when asked), and each Environment's
 * readiness as status conditions.
 */
export { AssetCache, hashFile, isSha512, type CachedFile } from './cache.js';
export {
  assetStates,
  assetConditions,
  readinessOf,
  ASSET_KINDS,
  SERVED_NAME,
  type AssetKind,
  type AssetState,
  type CacheState,
  type Readiness,
} from './status.js';
export { matchImport, parseSumsFile, urlFileName, type EnvAssetRef, type MatchResult } from './match.js';
export { importAssets, touchedEnvironments, SUMS_FILE, type ImportRequest, type ImportedFile } from './import.js';
export { pullEnvironment, download, fetchSums, type PullPlan, type Progress } from './pull.js';
export { httpGet, networkError } from './fetch.js';
export { EnvironmentStatusKeeper } from './keeper.js';
