/**
 * Inputs of the config generator (Talos's generate.NewInput plus its options), with their defaults.
 */
import { MetalboxError } from '../../util/errors.js';
import { defaultKubernetesVersion, parseContract, type VersionContract } from '../contract.js';
import type { SecretsBundle } from '../secrets/bundle.js';

export type MachineType = 'init' | 'controlplane' | 'worker' | 'join';

export interface CNIInput {
  name: string;
  urls?: string[];
}

export interface GenerateInput {
  type: MachineType;
  /** The version contract (`v1.13`); `talosVersion` is accepted as its alias. Defaults to the newest supported. */
  versionContract?: VersionContract | string;
  talosVersion?: string;
  secrets: SecretsBundle;
  clusterName: string;
  /** Control plane endpoint, e.g. `https://10.0.0.10:6443`. */
  endpoint: string;
  /** Defaults to the contract's Kubernetes version; `''` leaves component images unset. A leading `v` is dropped. */
  kubernetesVersion?: string;
  /** Unset by default, as Talos's generator leaves it when given none (talosctl's CLI defaults it to /dev/sda). */
  installDisk?: string;
  installImage?: string;
  /** Go to both machine.certSANs and cluster.apiServer.certSANs. */
  additionalSANs?: string[];
  dnsDomain?: string;
  podSubnets?: string[];
  serviceSubnets?: string[];
  allowSchedulingOnControlPlanes?: boolean;
  installExtraKernelArgs?: string[];
  localAPIServerPort?: number;
  sysctls?: Record<string, string>;
  cni?: CNIInput;
  /** Registry host to mirror endpoints, e.g. `{ 'docker.io': ['https://mirror.local'] }`. */
  registryMirrors?: Record<string, string[]>;
  /** Registry host to CA certificate (PEM). */
  registryCACerts?: Record<string, string>;
  /** Registry hosts whose TLS certificate is not verified. */
  registryInsecure?: string[];
  /** Cluster discovery; on by default. */
  discovery?: boolean;
  /** KubePrism port; 0 disables it. Default: enabled on 7445 from contract 1.6. */
  kubePrismPort?: number;
  debug?: boolean;
}

export interface NormalizedInput {
  machineType: 'init' | 'controlplane' | 'worker';
  contract: VersionContract;
  secrets: SecretsBundle;
  clusterName: string;
  endpoint: string;
  endpointHost: string;
  kubernetesVersion: string;
  installDisk: string;
  installImage: string;
  additionalSANs: string[];
  dnsDomain: string;
  podSubnets: string[];
  serviceSubnets: string[];
  allowSchedulingOnControlPlanes: boolean;
  installExtraKernelArgs: string[];
  localAPIServerPort: number;
  sysctls: Record<string, string>;
  cni: CNIInput | undefined;
  registryMirrors: Record<string, string[]>;
  registryCACerts: Record<string, string>;
  registryInsecure: string[];
  discovery: boolean;
  kubePrismPort: number | undefined;
  debug: boolean;
}

function invalid(message: string, hint?: string): never {
  throw new MetalboxError('TALOS_INPUT_INVALID', message, hint ? { hint } : {});
}

function machineType(t: string): NormalizedInput['machineType'] {
  if (t === 'init' || t === 'controlplane' || t === 'worker') return t;
  if (t === 'join') return 'worker';
  return invalid(`unknown machine type "${t}"`, 'use init, controlplane, worker or join');
}

function endpointHost(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return invalid(`control plane endpoint "${endpoint}" is not a URL`, 'give it as https://<address>:<port>');
  }
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

const IPV6 = /^[0-9a-fA-F:]+:[0-9a-fA-F:.]*$/;

export function normalizeInput(input: GenerateInput): NormalizedInput {
  const contract = parseContract(input.versionContract ?? input.talosVersion);
  if (!input.clusterName) invalid('the cluster name is empty');
  const host = endpointHost(input.endpoint);
  // Talos picks IPv6 default subnets only when the endpoint itself is a bare IPv6 address.
  const v6 = IPV6.test(input.endpoint);
  const port = input.localAPIServerPort ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) invalid(`local API server port ${port} is not a port number`);
  return {
    machineType: machineType(input.type),
    contract,
    secrets: input.secrets,
    clusterName: input.clusterName,
    endpoint: input.endpoint,
    endpointHost: host,
    kubernetesVersion: (input.kubernetesVersion ?? defaultKubernetesVersion(contract)).replace(/^v/, ''),
    installDisk: input.installDisk ?? '',
    installImage: input.installImage ?? '',
    additionalSANs: [...(input.additionalSANs ?? [])],
    dnsDomain: input.dnsDomain || 'cluster.local',
    podSubnets: [...(input.podSubnets ?? [v6 ? 'fc00:db8:10::/56' : '10.244.0.0/16'])],
    serviceSubnets: [...(input.serviceSubnets ?? [v6 ? 'fc00:db8:20::/112' : '10.96.0.0/12'])],
    allowSchedulingOnControlPlanes: input.allowSchedulingOnControlPlanes ?? false,
    installExtraKernelArgs: [...(input.installExtraKernelArgs ?? [])],
    localAPIServerPort: port,
    sysctls: { ...(input.sysctls ?? {}) },
    cni: input.cni ? { name: input.cni.name, urls: [...(input.cni.urls ?? [])] } : undefined,
    registryMirrors: { ...(input.registryMirrors ?? {}) },
    registryCACerts: { ...(input.registryCACerts ?? {}) },
    registryInsecure: [...(input.registryInsecure ?? [])],
    discovery: input.discovery ?? true,
    kubePrismPort: input.kubePrismPort,
    debug: input.debug ?? false,
  };
}
