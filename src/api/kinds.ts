/**
 * The kinds Metalbox knows, with the names kubectl accepts for them (plural, singular, short names, and
 * `plural.group` / `Kind.group` / `plural.version.group` forms), and whether they live in a namespace.
 */
import { MetalboxError } from '../util/errors.js';
import { closest } from './schema/walk.js';

export interface Column {
  /** Header as kubectl prints it. */
  name: string;
  /** Dotted path into the object (`spec.bmc.endpoint`; `[]` joins list elements). */
  path: string;
  /** Shown only with `-o wide`. */
  wide?: boolean;
}

export interface KindInfo {
  kind: string;
  /** API group; empty for core (`v1`). */
  group: string;
  version: string;
  /** `group/version`, or `v1` for core. */
  apiVersion: string;
  plural: string;
  singular: string;
  /** The CRD's shortNames, plus Metalbox's own (`sc`, `env`), as kubectl would accept them. */
  shortNames: readonly string[];
  namespaced: boolean;
  /** Printer columns of the CRD (after NAME); Age is added by the printer. */
  columns: readonly Column[];
}

function kind(k: Omit<KindInfo, 'apiVersion' | 'singular'> & { singular?: string }): KindInfo {
  return {
    ...k,
    singular: k.singular ?? k.kind.toLowerCase(),
    apiVersion: k.group ? `${k.group}/${k.version}` : k.version,
  };
}

const METAL = 'metal.sidero.dev';
const INFRA = 'infrastructure.cluster.x-k8s.io';
const CAPI = 'cluster.x-k8s.io';
const BOOTSTRAP = 'bootstrap.cluster.x-k8s.io';
const CONTROLPLANE = 'controlplane.cluster.x-k8s.io';
const clusterLabel = 'metadata.labels.cluster\\.x-k8s\\.io/cluster-name';

export const KINDS: readonly KindInfo[] = [
  kind({
    kind: 'Server', group: METAL, version: 'v1alpha2', plural: 'servers', shortNames: [], namespaced: false,
    columns: [
      { name: 'HOSTNAME', path: 'spec.hostname' },
      { name: 'BMC IP', path: 'spec.bmc.endpoint', wide: true },
      { name: 'ACCEPTED', path: 'spec.accepted' },
      { name: 'CORDONED', path: 'spec.cordoned' },
      { name: 'ALLOCATED', path: 'status.inUse' },
      { name: 'CLEAN', path: 'status.isClean' },
      { name: 'POWER', path: 'status.power' },
    ],
  }),
  kind({
    kind: 'ServerClass', group: METAL, version: 'v1alpha2', plural: 'serverclasses', shortNames: ['sc'], namespaced: false,
    columns: [
      { name: 'AVAILABLE', path: 'status.serversAvailable' },
      { name: 'IN USE', path: 'status.serversInUse' },
    ],
  }),
  kind({
    kind: 'Environment', group: METAL, version: 'v1alpha2', plural: 'environments', shortNames: ['env'], namespaced: false,
    columns: [
      { name: 'KERNEL', path: 'spec.kernel.url' },
      { name: 'INITRD', path: 'spec.initrd.url' },
      { name: 'READY', path: 'status.conditions[].status' },
    ],
  }),
  kind({
    kind: 'MetalCluster', group: INFRA, version: 'v1alpha3', plural: 'metalclusters', shortNames: [], namespaced: true,
    columns: [
      { name: 'CLUSTER', path: clusterLabel },
      { name: 'READY', path: 'status.ready' },
      { name: 'ENDPOINT', path: 'spec.controlPlaneEndpoint.host', wide: true },
    ],
  }),
  kind({
    kind: 'MetalMachine', group: INFRA, version: 'v1alpha3', plural: 'metalmachines', shortNames: [], namespaced: true,
    columns: [
      { name: 'READY', path: 'status.ready' },
      { name: 'CLUSTER', path: clusterLabel, wide: true },
      { name: 'SERVER', path: 'spec.serverRef.name', wide: true },
    ],
  }),
  kind({
    kind: 'MetalMachineTemplate', group: INFRA, version: 'v1alpha3', plural: 'metalmachinetemplates', shortNames: [], namespaced: true,
    columns: [{ name: 'SERVERCLASS', path: 'spec.template.spec.serverClassRef.name' }],
  }),
  kind({
    kind: 'ServerBinding', group: INFRA, version: 'v1alpha3', plural: 'serverbindings', shortNames: [], namespaced: false,
    columns: [
      { name: 'READY', path: 'status.ready' },
      { name: 'SERVERCLASS', path: 'spec.serverClassRef.name', wide: true },
      { name: 'METALMACHINE', path: 'spec.metalMachineRef.name', wide: true },
      { name: 'CLUSTER', path: clusterLabel, wide: true },
    ],
  }),
  kind({
    kind: 'Cluster', group: CAPI, version: 'v1beta1', plural: 'clusters', shortNames: ['cl'], namespaced: true,
    columns: [{ name: 'PHASE', path: 'status.phase' }],
  }),
  kind({
    kind: 'Machine', group: CAPI, version: 'v1beta1', plural: 'machines', shortNames: ['ma'], namespaced: true,
    columns: [
      { name: 'CLUSTER', path: 'spec.clusterName' },
      { name: 'NODENAME', path: 'status.nodeRef.name' },
      { name: 'PROVIDERID', path: 'spec.providerID' },
      { name: 'PHASE', path: 'status.phase' },
      { name: 'VERSION', path: 'spec.version' },
    ],
  }),
  kind({
    kind: 'MachineDeployment', group: CAPI, version: 'v1beta1', plural: 'machinedeployments', shortNames: ['md'], namespaced: true,
    columns: [
      { name: 'CLUSTER', path: 'spec.clusterName' },
      { name: 'DESIRED', path: 'spec.replicas', wide: true },
      { name: 'REPLICAS', path: 'status.replicas' },
      { name: 'READY', path: 'status.readyReplicas' },
      { name: 'PHASE', path: 'status.phase' },
      { name: 'VERSION', path: 'spec.template.spec.version' },
    ],
  }),
  kind({
    kind: 'TalosControlPlane', group: CONTROLPLANE, version: 'v1alpha3', plural: 'taloscontrolplanes', shortNames: ['tcp'], namespaced: true,
    columns: [
      { name: 'READY', path: 'status.ready' },
      { name: 'INITIALIZED', path: 'status.initialized' },
      { name: 'REPLICAS', path: 'status.replicas' },
      { name: 'READY REPLICAS', path: 'status.readyReplicas' },
      { name: 'UNAVAILABLE REPLICAS', path: 'status.unavailableReplicas' },
    ],
  }),
  kind({
    kind: 'TalosConfig', group: BOOTSTRAP, version: 'v1alpha3', plural: 'talosconfigs', shortNames: [], namespaced: true,
    columns: [
      { name: 'READY', path: 'status.ready' },
      { name: 'GENERATETYPE', path: 'spec.generateType', wide: true },
    ],
  }),
  kind({
    kind: 'TalosConfigTemplate', group: BOOTSTRAP, version: 'v1alpha3', plural: 'talosconfigtemplates', shortNames: [], namespaced: true,
    columns: [{ name: 'GENERATETYPE', path: 'spec.template.spec.generateType' }],
  }),
  kind({
    kind: 'Secret', group: '', version: 'v1', plural: 'secrets', shortNames: [], namespaced: true,
    columns: [{ name: 'TYPE', path: 'type' }],
  }),
];

const byKind = new Map(KINDS.map((k) => [k.kind, k]));

/** The kind for an exact `kind` field (`Server`), if Metalbox knows it. */
export function kindInfo(kindName: string): KindInfo | undefined {
  return byKind.get(kindName);
}

/** Every name that resolves to `k`, lowercase. */
function namesOf(k: KindInfo): string[] {
  const base = [k.plural, k.singular, k.kind.toLowerCase(), ...k.shortNames];
  if (!k.group) return base;
  const group = k.group.toLowerCase();
  const qualified = [k.plural, k.singular, k.kind.toLowerCase()].flatMap((n) => [`${n}.${group}`, `${n}.${k.version}.${group}`]);
  return [...base, ...qualified];
}

const byName = new Map<string, KindInfo>(KINDS.flatMap((k) => namesOf(k).map((n) => [n, k] as const)));

/** Resolve what a user typed (`servers`, `Server`, `sc`, `tcp`, `servers.metal.sidero.dev`) without throwing. */
export function findKind(userText: string): KindInfo | undefined {
  return byName.get(userText.trim().toLowerCase());
}

/** Resolve what a user typed, as kubectl would; an unknown name is a KIND_UNKNOWN error listing the kinds. */
export function resolveKind(userText: string): KindInfo {
  const found = findKind(userText);
  if (found) return found;
  const list = KINDS.map((k) => (k.shortNames.length ? `${k.plural} (${k.shortNames.join(', ')})` : k.plural)).join(', ');
  const near = closest(userText.trim(), [...byName.keys()].filter((n) => !n.includes('.')));
  const guess = near ? ` (did you mean "${near}"?)` : '';
  throw new MetalboxError('KIND_UNKNOWN', `unknown kind "${userText}"${guess}`, { hint: `known kinds: ${list}` });
}
