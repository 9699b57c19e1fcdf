/**
 * Facts about Talos's Go config types that its published schemas do not carry, read from
 * pkg/machinery/config/types/v1alpha1/v1alpha1_types.go: fields without `omitempty`, value (non-pointer)
 * structs and plain bools, `merge:"replace"` and custom list mergers, and undocumented (`docgen:nodoc`)
 * fields that Talos still reads and writes.
 */
import type { MergeKey, TypeRef } from './types.js';

/** Fields written even when empty (no `omitempty` in the yaml tag). */
export const NOT_OMITEMPTY: readonly string[] = [
  'v1alpha1.Config.version',
  'v1alpha1.Config.machine',
  'v1alpha1.Config.cluster',
  'v1alpha1.MachineConfig.type',
  'v1alpha1.MachineConfig.token',
  'v1alpha1.MachineConfig.certSANs',
  'v1alpha1.ClusterConfig.controlPlane',
  'v1alpha1.ControlPlaneConfig.endpoint',
  'v1alpha1.InstallConfig.wipe',
  'v1alpha1.ClusterNetworkConfig.dnsDomain',
  'v1alpha1.ClusterNetworkConfig.podSubnets',
  'v1alpha1.ClusterNetworkConfig.serviceSubnets',
  'v1alpha1.EtcdConfig.ca',
  'v1alpha1.ExtraMount.destination',
  'v1alpha1.LinuxIDMapping.containerID',
  'v1alpha1.LinuxIDMapping.hostID',
  'v1alpha1.LinuxIDMapping.size',
  'v1alpha1.AdmissionPluginConfig.name',
  'v1alpha1.AdmissionPluginConfig.configuration',
  'v1alpha1.AuthorizationConfigAuthorizerConfig.type',
  'v1alpha1.AuthorizationConfigAuthorizerConfig.name',
  'v1alpha1.MachineSeccompProfile.name',
  'v1alpha1.MachineSeccompProfile.value',
  'v1alpha1.MachineFile.content',
  'v1alpha1.MachineFile.permissions',
  'v1alpha1.MachineFile.path',
  'v1alpha1.MachineFile.op',
  'v1alpha1.ExtraHost.ip',
  'v1alpha1.ExtraHost.aliases',
  'v1alpha1.Bond.interfaces',
  'v1alpha1.Bond.mode',
  'v1alpha1.Bridge.interfaces',
  'v1alpha1.Vlan.routes',
  'v1alpha1.Vlan.vlanId',
  'v1alpha1.Route.network',
  'v1alpha1.Route.gateway',
  'v1alpha1.DHCPOptions.routeMetric',
  'v1alpha1.RegistryMirrorConfig.endpoints',
  'v1alpha1.VolumeMountConfig.hostPath',
  'v1alpha1.VolumeMountConfig.mountPath',
  'v1alpha1.ClusterInlineManifest.name',
  'v1alpha1.ClusterInlineManifest.contents',
  'v1alpha1.ClusterDiscoveryConfig.registries',
  'v1alpha1.DiscoveryRegistriesConfig.kubernetes',
  'v1alpha1.DiscoveryRegistriesConfig.service',
  'v1alpha1.LoggingConfig.destinations',
  'v1alpha1.LoggingDestination.endpoint',
  'v1alpha1.LoggingDestination.format',
  'v1alpha1.KernelModuleConfig.name',
  'v1alpha1.VIPEquinixMetalConfig.apiToken',
  'v1alpha1.VIPHCloudConfig.apiToken',
  'v1alpha1.EncryptionConfig.provider',
  'v1alpha1.EncryptionConfig.keys',
  'v1alpha1.EncryptionKey.slot',
  'v1alpha1.EncryptionKeyKMS.endpoint',
  'v1alpha1.InstallExtensionConfig.image',
];

/** Non-pointer struct fields: never nil, omitted (with omitempty) only when every field is zero. */
export const VALUE_STRUCTS: readonly string[] = [
  'v1alpha1.ClusterDiscoveryConfig.registries',
  'v1alpha1.DiscoveryRegistriesConfig.kubernetes',
  'v1alpha1.DiscoveryRegistriesConfig.service',
  'v1alpha1.MachineConfig.registries',
];

/** Plain `bool` fields (not `*bool`): false is omitted, and a merge always overwrites them. */
export const PLAIN_BOOLS: readonly string[] = ['v1alpha1.VolumeMountConfig.readonly'];

/** `merge:"replace"` fields. */
export const REPLACE: readonly string[] = [
  'v1alpha1.ClusterNetworkConfig.podSubnets',
  'v1alpha1.ClusterNetworkConfig.serviceSubnets',
  'v1alpha1.APIServerConfig.auditPolicy',
];

/** Lists with a custom merger that merges elements matched by a key instead of appending. */
export const KEYED_LISTS: Readonly<Record<string, MergeKey>> = {
  'v1alpha1.NetworkConfig.interfaces': 'interface',
  'v1alpha1.Device.vlans': 'vlanId',
  'v1alpha1.APIServerConfig.admissionControl': 'name',
  'extensions.ServiceConfigV1Alpha1.configFiles': 'mountPath',
};

/** Fields whose type the published schema gets wrong (docgen overrides); the Go type wins. */
export const TYPE_FIXES: Readonly<Record<string, TypeRef>> = {
  'v1alpha1.MachineConfig.acceptedCAs': { k: 'list', of: { k: 'struct', name: 'x509.PEMEncodedCertificate' } },
  'v1alpha1.ClusterConfig.acceptedCAs': { k: 'list', of: { k: 'struct', name: 'x509.PEMEncodedCertificate' } },
  'v1alpha1.MachineFile.permissions': { k: 'int', filemode: true },
};

export interface ExtraField {
  key: string;
  type: TypeRef;
  /** Inserted after this field. */
  after: string;
  omitempty?: boolean;
}

/** `docgen:nodoc` fields that appear in neither published schema. */
export const EXTRA_FIELDS: Readonly<Record<string, readonly ExtraField[]>> = {
  'v1alpha1.Config': [{ key: 'persist', type: { k: 'bool' }, after: 'debug' }],
  'v1alpha1.MachineConfig': [
    { key: 'disks', type: { k: 'list', of: { k: 'struct', name: 'v1alpha1.MachineDisk' } }, after: 'network' },
  ],
  'v1alpha1.InstallConfig': [
    { key: 'extensions', type: { k: 'list', of: { k: 'struct', name: 'v1alpha1.InstallExtensionConfig' } }, after: 'image' },
    { key: 'bootloader', type: { k: 'bool' }, after: 'extensions' },
  ],
  'v1alpha1.ClusterConfig': [{ key: 'allowSchedulingOnMasters', type: { k: 'bool' }, after: 'adminKubeconfig' }],
  'v1alpha1.Device': [{ key: 'cidr', type: { k: 'string' }, after: 'addresses' }],
  'v1alpha1.Vlan': [{ key: 'cidr', type: { k: 'string' }, after: 'addresses' }],
  'v1alpha1.EtcdConfig': [{ key: 'subnet', type: { k: 'string' }, after: 'extraArgs' }],
};

/** Structs that appear in neither schema, as ordered [key, type, omitempty] lists. */
export const EXTRA_STRUCTS: Readonly<Record<string, ReadonlyArray<[string, TypeRef, boolean]>>> = {
  'v1alpha1.MachineDisk': [
    ['device', { k: 'string' }, true],
    ['partitions', { k: 'list', of: { k: 'struct', name: 'v1alpha1.DiskPartition' } }, true],
  ],
  // DiskSize marshals as a human-readable size or a number; kept as written.
  'v1alpha1.DiskPartition': [
    ['size', { k: 'any' }, true],
    ['mountpoint', { k: 'string' }, true],
  ],
  'v1alpha1.InstallExtensionConfig': [['image', { k: 'string' }, false]],
  'x509.PEMEncodedCertificate': [['crt', { k: 'string', base64: true }, false]],
};
