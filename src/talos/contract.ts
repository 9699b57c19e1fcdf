/**
 * Talos version contracts: the `--talos-version` / CABPT `talosVersion` knob that decides what the config
 * generator emits. Each gate below mirrors one method of Talos's `config.VersionContract` (contract.go);
 * the comment names the first contract where it is true.
 */
import { MetalboxError } from '../util/errors.js';

export interface VersionContract {
  readonly major: number;
  readonly minor: number;
}

/** Contracts Metalbox generates configs for. 1.14 (the multi-document format) is not generated yet. */
export const SUPPORTED_CONTRACTS: readonly VersionContract[] = [7, 8, 9, 10, 11, 12, 13].map((minor) => ({
  major: 1,
  minor,
}));

/** The contract used when none is given: the newest supported one, as CABPT's vendored machinery does. */
export const CURRENT_CONTRACT: VersionContract = { major: 1, minor: 13 };

/** What we know about each Talos minor release: its newest patch and its default Kubernetes version. */
const RELEASES: Record<string, { latest: string; kubernetes: string }> = {
  // 1.7's default is the 1.30 line; the exact patch is from the v1.7.x release notes.
  '1.7': { latest: 'v1.7.7', kubernetes: '1.30.3' },
  '1.8': { latest: 'v1.8.4', kubernetes: '1.31.4' },
  '1.9': { latest: 'v1.9.6', kubernetes: '1.32.4' },
  '1.10': { latest: 'v1.10.9', kubernetes: '1.33.6' },
  '1.11': { latest: 'v1.11.6', kubernetes: '1.34.1' },
  '1.12': { latest: 'v1.12.11', kubernetes: '1.35.4' },
  '1.13': { latest: 'v1.13.9', kubernetes: '1.36.3' },
};

export function contractString(c: VersionContract): string {
  return `v${c.major}.${c.minor}`;
}

/**
 * Parses `v1.10`, `1.10`, `v1.10.3` or `v1.13.0-beta.1` the way Talos does (`^v?(\d+)\.(\d+)($|\.)`),
 * and refuses contracts Metalbox cannot generate.
 */
export function parseContract(version: string | VersionContract | undefined): VersionContract {
  if (version === undefined || version === '') return CURRENT_CONTRACT;
  if (typeof version !== 'string') return checkSupported(version, contractString(version));
  const m = /^v?(\d+)\.(\d+)($|\.|-)/.exec(version.trim());
  if (!m) {
    throw new MetalboxError('TALOS_VERSION_INVALID', `"${version}" is not a Talos version`, {
      hint: 'give a version like v1.13 or v1.13.9',
    });
  }
  return checkSupported({ major: Number(m[1]), minor: Number(m[2]) }, version);
}

function checkSupported(c: VersionContract, given: string): VersionContract {
  if (!SUPPORTED_CONTRACTS.some((s) => s.major === c.major && s.minor === c.minor)) {
    const range = `${contractString(SUPPORTED_CONTRACTS[0]!)} to ${contractString(CURRENT_CONTRACT)}`;
    throw new MetalboxError('TALOS_VERSION_UNSUPPORTED', `Talos ${given} is not supported for config generation`, {
      hint: `choose a Talos version from ${range}`,
    });
  }
  return { major: c.major, minor: c.minor };
}

/** True when the contract is strictly newer than 1.<minor> (Talos's `contract.Greater(TalosVersion1_<minor>)`). */
export function greater(c: VersionContract, minor: number, major = 1): boolean {
  return c.major > major || (c.major === major && c.minor > minor);
}

export function sameContract(a: VersionContract, b: VersionContract): boolean {
  return a.major === b.major && a.minor === b.minor;
}

/** Newest known patch release tag of the contract's minor, e.g. `v1.13.9`. */
export function latestRelease(c: VersionContract): string {
  return RELEASES[`${c.major}.${c.minor}`]?.latest ?? `${contractString(c)}.0`;
}

/** The Kubernetes version Talos of this minor defaults to. */
export function defaultKubernetesVersion(c: VersionContract): string {
  return RELEASES[`${c.major}.${c.minor}`]?.kubernetes ?? RELEASES['1.13']!.kubernetes;
}

/** The release tag for a version given by the user: a full version is kept, a bare minor becomes its latest patch. */
export function releaseTag(version: string | undefined, c: VersionContract): string {
  if (version && /^v?\d+\.\d+\.\d+/.test(version)) return version.startsWith('v') ? version : `v${version}`;
  return latestRelease(c);
}

/** Version gates, named as in Talos's contract.go. */
export const gates = {
  podSecurityAdmissionEnabled: (c: VersionContract) => greater(c, 0),
  stableHostnameEnabled: (c: VersionContract) => greater(c, 1),
  kubeletDefaultRuntimeSeccompProfileEnabled: (c: VersionContract) => greater(c, 1),
  kubernetesAllowSchedulingOnControlPlanes: (c: VersionContract) => greater(c, 1),
  kubernetesDiscoveryBackendDisabled: (c: VersionContract) => greater(c, 1),
  apidExtKeyUsageCheckEnabled: (c: VersionContract) => greater(c, 2),
  apiServerAuditPolicySupported: (c: VersionContract) => greater(c, 2),
  kubeletManifestsDirectoryDisabled: (c: VersionContract) => greater(c, 2),
  secretboxEncryptionSupported: (c: VersionContract) => greater(c, 2),
  diskQuotaSupportEnabled: (c: VersionContract) => greater(c, 4),
  kubePrismEnabled: (c: VersionContract) => greater(c, 5),
  hostDNSEnabled: (c: VersionContract) => greater(c, 6),
  useRSAServiceAccountKey: (c: VersionContract) => greater(c, 6),
  clusterNameForWorkers: (c: VersionContract) => greater(c, 7),
  hostDNSForwardKubeDNSToHost: (c: VersionContract) => greater(c, 7),
  addExcludeFromExternalLoadBalancer: (c: VersionContract) => greater(c, 7),
  multidocNetworkConfigSupported: (c: VersionContract) => greater(c, 11),
  hideDisablePSP: (c: VersionContract) => greater(c, 11),
  hideRBACAndKeyUsage: (c: VersionContract) => greater(c, 11),
  grubUseUKICmdlineDefault: (c: VersionContract) => greater(c, 11),
  populateClusterSANsFromEndpoint: (c: VersionContract) => !greater(c, 11),
  kubeSpanMultidocConfig: (c: VersionContract) => greater(c, 12),
  /** Cluster ids are URL-safe base64 up to 1.13, standard base64 from 1.14. */
  clusterIDStdEncoding: (c: VersionContract) => greater(c, 13),
} as const;
