/**
 * Defaults that need the object's context, and checks across fields: what Sidero's, Cluster API's and the
 * Talos providers' admission webhooks do. Each runs on an object whose shape is already valid.
 */
import type { ObjectReference } from './meta.js';
import type { Machine, MachineDeployment, MachineSpec } from './types/capi.js';
import type { Cluster } from './types/capi.js';
import type { ConfigPatch, Server, ServerClass } from './types/metal.js';
import type { Secret } from './types/core.js';
import type { TalosConfig, TalosConfigSpec, TalosConfigTemplate, TalosControlPlane } from './types/talos.js';
import { kubernetesVersion } from './schema/common.js';
import type { Segment } from './schema/walk.js';

export interface Notes {
  error(at: Segment[], message: string): void;
  warn(at: Segment[], message: string): void;
}

/** Cluster API's label naming the cluster an object belongs to. */
export const CLUSTER_NAME_LABEL = 'cluster.x-k8s.io/cluster-name';
/** Cluster API's label naming the MachineDeployment a Machine belongs to. */
export const DEPLOYMENT_NAME_LABEL = 'cluster.x-k8s.io/deployment-name';

// The finishers receive the validated object; the casts below are safe because the schema walk has
// already checked the shape of every field they touch.
type Finish = (o: Record<string, unknown>, n: Notes) => void;

function checkPatches(patches: ConfigPatch[] | undefined, at: Segment[], n: Notes): void {
  (patches ?? []).forEach((p, i) => {
    if ((p.op === 'add' || p.op === 'replace' || p.op === 'test') && p.value === undefined) {
      n.error([...at, i, 'value'], `required for op "${p.op}"`);
    }
    if (p.op === 'copy' || p.op === 'move') {
      n.error([...at, i, 'op'], `"${p.op}" needs a "from" path, which Sidero's patch format cannot carry; use add and remove`);
    }
  });
}

const finishServer: Finish = (o, n) => {
  const s = o as unknown as Server;
  const bmc = s.spec?.bmc;
  if (bmc?.user && bmc.userFrom) n.error(['spec', 'bmc', 'userFrom'], 'cannot be used together with spec.bmc.user');
  if (bmc?.pass && bmc.passFrom) n.error(['spec', 'bmc', 'passFrom'], 'cannot be used together with spec.bmc.pass');
  checkPatches(s.spec?.configPatches, ['spec', 'configPatches'], n);
};

const finishServerClass: Finish = (o, n) => {
  checkPatches((o as unknown as ServerClass).spec?.configPatches, ['spec', 'configPatches'], n);
};

function defaultNamespace(ref: ObjectReference | undefined, ns: string | undefined): void {
  if (ref && !ref.namespace && ns) ref.namespace = ns;
}

function vPrefix(version: string | undefined): string | undefined {
  return version && !version.startsWith('v') ? `v${version}` : version;
}

const finishCluster: Finish = (o) => {
  const c = o as unknown as Cluster;
  defaultNamespace(c.spec?.infrastructureRef, c.metadata.namespace);
  defaultNamespace(c.spec?.controlPlaneRef, c.metadata.namespace);
};

/** Shared by Machine and a MachineDeployment's template (Cluster API's machine webhook). */
function finishMachineSpec(spec: MachineSpec, ns: string | undefined, at: Segment[], n: Notes): void {
  defaultNamespace(spec.bootstrap.configRef, ns);
  defaultNamespace(spec.infrastructureRef, ns);
  spec.version = vPrefix(spec.version);
  if (spec.version === undefined) delete spec.version;
  else if (!kubernetesVersion.test(spec.version)) n.error([...at, 'version'], `invalid value "${spec.version}": expected ${kubernetesVersion.expect}`);
  if (!spec.bootstrap.configRef && spec.bootstrap.dataSecretName === undefined) {
    n.error([...at, 'bootstrap'], 'expected either bootstrap.configRef or bootstrap.dataSecretName');
  }
}

const finishMachine: Finish = (o, n) => {
  const m = o as unknown as Machine;
  m.metadata.labels = { ...m.metadata.labels, [CLUSTER_NAME_LABEL]: m.spec!.clusterName };
  finishMachineSpec(m.spec!, m.metadata.namespace, ['spec'], n);
  m.spec!.nodeDeletionTimeout ??= '10s';
};

const finishMachineDeployment: Finish = (o, n) => {
  const md = o as unknown as MachineDeployment;
  const spec = md.spec!;
  const own = { [CLUSTER_NAME_LABEL]: spec.clusterName, [DEPLOYMENT_NAME_LABEL]: md.metadata.name };
  md.metadata.labels = { ...md.metadata.labels, [CLUSTER_NAME_LABEL]: spec.clusterName };
  spec.replicas ??= 1;
  spec.minReadySeconds ??= 0;
  spec.revisionHistoryLimit ??= 1;
  spec.progressDeadlineSeconds ??= 600;
  spec.selector.matchLabels = { ...spec.selector.matchLabels, ...own };
  spec.template.metadata = { ...spec.template.metadata, labels: { ...spec.template.metadata?.labels, ...own } };
  const strategy = (spec.strategy ??= {});
  strategy.type ??= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    ru.maxSurge ??= 1;
    ru.maxUnavailable ??= 0;
  }
  const t = spec.template.spec;
  finishMachineSpec(t, md.metadata.namespace, ['spec', 'template', 'spec'], n);
  if (t.clusterName !== spec.clusterName) {
    n.error(['spec', 'template', 'spec', 'clusterName'], `must equal spec.clusterName ("${spec.clusterName}")`);
  }
  const labels = spec.template.metadata.labels ?? {};
  for (const [k, v] of Object.entries(spec.selector.matchLabels)) {
    if (labels[k] !== v) n.error(['spec', 'selector', 'matchLabels'], `must match the template's labels (${k}=${v} is not among them)`);
  }
};

function finishTalosConfigSpec(spec: TalosConfigSpec, at: Segment[], n: Notes): void {
  if (spec.generateType === 'none' && !spec.data) n.error([...at, 'data'], 'required when generateType is "none"');
  if (spec.generateType !== 'none' && spec.data) n.warn([...at, 'data'], 'ignored unless generateType is "none"');
  checkPatches(spec.configPatches, [...at, 'configPatches'], n);
}

const finishTalosConfig: Finish = (o, n) => finishTalosConfigSpec((o as unknown as TalosConfig).spec!, ['spec'], n);

const finishTalosConfigTemplate: Finish = (o, n) =>
  finishTalosConfigSpec((o as unknown as TalosConfigTemplate).spec!.template.spec, ['spec', 'template', 'spec'], n);

const finishTalosControlPlane: Finish = (o, n) => {
  const spec = (o as unknown as TalosControlPlane).spec!;
  spec.replicas ??= 1;
  spec.version = vPrefix(spec.version)!;
  if (!kubernetesVersion.test(spec.version)) n.error(['spec', 'version'], `invalid value "${spec.version}": expected ${kubernetesVersion.expect}`);
  const rs = (spec.rolloutStrategy ??= {});
  rs.type ??= 'RollingUpdate';
  if (rs.type === 'RollingUpdate') (rs.rollingUpdate ??= {}).maxSurge ??= 1;
  const cp = spec.controlPlaneConfig;
  finishTalosConfigSpec(cp.controlplane, ['spec', 'controlPlaneConfig', 'controlplane'], n);
  if (cp.controlplane.generateType === 'worker' || cp.controlplane.generateType === 'join') {
    n.warn(['spec', 'controlPlaneConfig', 'controlplane', 'generateType'], 'a control plane normally uses "controlplane"');
  }
  if (cp.init) {
    finishTalosConfigSpec(cp.init, ['spec', 'controlPlaneConfig', 'init'], n);
    n.warn(['spec', 'controlPlaneConfig', 'init'], 'deprecated since CACPPT v0.4: every control plane node uses "controlplane"');
  }
};

/** Kubernetes folds stringData into data (base64) on write; so does Metalbox. */
const finishSecret: Finish = (o) => {
  const s = o as unknown as Secret;
  if (!s.stringData) return;
  const data = { ...s.data };
  for (const [k, v] of Object.entries(s.stringData)) data[k] = Buffer.from(v, 'utf8').toString('base64');
  s.data = data;
  delete s.stringData;
};

export const FINISHERS: Readonly<Record<string, Finish>> = {
  Server: finishServer,
  ServerClass: finishServerClass,
  Cluster: finishCluster,
  Machine: finishMachine,
  MachineDeployment: finishMachineDeployment,
  TalosConfig: finishTalosConfig,
  TalosConfigTemplate: finishTalosConfigTemplate,
  TalosControlPlane: finishTalosControlPlane,
  Secret: finishSecret,
};
