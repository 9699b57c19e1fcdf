/**
 * Sidero Metal kinds, `metal.sidero.dev/v1alpha2`, all cluster-scoped. Field names and JSON shapes follow
 * siderolabs/sidero `app/sidero-controller-manager/api/v1alpha2` exactly.
 */
import type { Condition, LabelSelector, ObjectReference, Resource } from '../meta.js';

/** An RFC 6902 JSON patch operation as Sidero and CABPT store it (no `from`: Sidero's struct has none). */
export interface ConfigPatch {
  op: 'add' | 'remove' | 'replace' | 'copy' | 'move' | 'test';
  path: string;
  /** Any JSON value. */
  value?: unknown;
}

export type BootFromDiskMethod = 'ipxe-exit' | 'http-404' | 'ipxe-sanboot';
export type PXEMode = 'bios' | 'uefi';

export interface SecretKeyRef {
  namespace: string;
  name: string;
  key: string;
}

export interface CredentialSource {
  secretKeyRef?: SecretKeyRef;
}

export interface BMC {
  endpoint: string;
  /** Defaults to 623. */
  port?: number;
  user?: string;
  userFrom?: CredentialSource;
  pass?: string;
  passFrom?: CredentialSource;
  /** ipmitool interface; defaults to `lanplus`. */
  interface?: string;
}

export interface ManagementAPI {
  endpoint: string;
}

export interface SystemInformation {
  uuid?: string;
  manufacturer?: string;
  productName?: string;
  version?: string;
  serialNumber?: string;
  skuNumber?: string;
  family?: string;
}

export interface Processor {
  manufacturer?: string;
  productName?: string;
  serialNumber?: string;
  /** MHz. */
  speed?: number;
  coreCount?: number;
  threadCount?: number;
}

export interface ComputeInformation {
  totalCoreCount?: number;
  totalThreadCount?: number;
  processorCount?: number;
  processors?: Processor[];
}

export interface MemoryModule {
  manufacturer?: string;
  productName?: string;
  serialNumber?: string;
  type?: string;
  /** MB. */
  size?: number;
  /** MT/s. */
  speed?: number;
}

export interface MemoryInformation {
  /** A string such as `32 GB` (Sidero writes MB/1024 with integer division). */
  totalSize?: string;
  moduleCount?: number;
  modules?: MemoryModule[];
}

export interface StorageDevice {
  /** SSD, HDD, NVMe, SD, Unknown. */
  type?: string;
  /** Bytes. */
  size?: number;
  productName?: string;
  serialNumber?: string;
  name?: string;
  deviceName?: string;
  uuid?: string;
  wwid?: string;
}

export interface StorageInformation {
  /** A string such as `1116 GB`. */
  totalSize?: string;
  deviceCount?: number;
  devices?: StorageDevice[];
}

export interface NetworkInterface {
  index?: number;
  name?: string;
  flags?: string;
  mtu?: number;
  mac?: string;
  addresses?: string[];
}

export interface NetworkInformation {
  interfaceCount?: number;
  interfaces?: NetworkInterface[];
}

export interface HardwareInformation {
  system?: SystemInformation;
  compute?: ComputeInformation;
  memory?: MemoryInformation;
  storage?: StorageInformation;
  network?: NetworkInformation;
}

export interface ServerSpec {
  environmentRef?: ObjectReference;
  hardware?: HardwareInformation;
  hostname?: string;
  bmc?: BMC;
  managementApi?: ManagementAPI;
  configPatches?: ConfigPatch[];
  /** Talos strategic-merge patches, each a YAML document as a string. */
  strategicPatches?: string[];
  /** Always present (Sidero's JSON tag has no omitempty); defaults to false. */
  accepted: boolean;
  cordoned?: boolean;
  pxeBootAlways?: boolean;
  bootFromDiskMethod?: BootFromDiskMethod;
  pxeMode?: PXEMode;
}

/** corev1.NodeAddress. */
export interface NodeAddress {
  type: 'Hostname' | 'InternalIP' | 'ExternalIP' | 'InternalDNS' | 'ExternalDNS';
  address: string;
}

export interface ServerStatus {
  ready?: boolean;
  inUse?: boolean;
  isClean?: boolean;
  conditions?: Condition[];
  addresses?: NodeAddress[];
  power?: 'on' | 'off' | 'unknown';
}

export type Server = Resource<ServerSpec, ServerStatus> & { apiVersion: 'metal.sidero.dev/v1alpha2'; kind: 'Server' };

export interface Qualifiers {
  /** OR over entries; inside one entry every non-empty field must match. */
  hardware?: HardwareInformation[];
  /** Sidero semantics: matches when ANY key=value of ANY map matches the server's labels. */
  labelSelectors?: Record<string, string>[];
}

export interface ServerClassSpec {
  environmentRef?: ObjectReference;
  /** Always present; `{}` matches every server. */
  qualifiers: Qualifiers;
  /** Always present; `{}` matches every server. */
  selector: LabelSelector;
  configPatches?: ConfigPatch[];
  strategicPatches?: string[];
  bootFromDiskMethod?: BootFromDiskMethod;
}

export interface ServerClassStatus {
  serversAvailable: string[];
  serversInUse: string[];
}

export type ServerClass = Resource<ServerClassSpec, ServerClassStatus> & {
  apiVersion: 'metal.sidero.dev/v1alpha2';
  kind: 'ServerClass';
};

export interface Asset {
  url?: string;
  /** Hex sha512 of the asset; Metalbox verifies it (Sidero never did). */
  sha512?: string;
}

export interface Kernel extends Asset {
  args?: string[];
}

export type Initrd = Asset;

export interface EnvironmentSpec {
  kernel?: Kernel;
  initrd?: Initrd;
}

/** One per asset URL. */
export interface AssetCondition extends Asset {
  status: 'True' | 'False' | 'Unknown';
  type: string;
  /** Metalbox: why (Verified, NotCached, ChecksumMismatch ...). */
  reason?: string;
  /** Metalbox: what to do, in the operator's words. */
  message?: string;
}

export interface EnvironmentStatus {
  conditions?: AssetCondition[];
}

export type Environment = Resource<EnvironmentSpec, EnvironmentStatus> & {
  apiVersion: 'metal.sidero.dev/v1alpha2';
  kind: 'Environment';
};
