import { CLUSTER_NAME_LABEL, type Machine, type MetalMachine, type MetalMachineTemplate, type ObjectReference, type Resource, type TalosConfig, type TalosConfigSpec } from '../api/index.js';
import { MetalboxError } from '../util/errors.js';
import type { ControllerContext } from './types.js';
import { generatedName, ownerRef } from './util.js';

export const CONTROL_PLANE_LABEL = 'cluster.x-k8s.io/control-plane';
export const CONTROL_PLANE_NAME_LABEL = 'cluster.x-k8s.io/control-plane-name';

const INFRA = 'infrastructure.cluster.x-k8s.io/v1alpha3';
const BOOTSTRAP = 'bootstrap.cluster.x-k8s.io/v1alpha3';

export interface NewMachine {
  owner: Resource;
  clusterName: string;
  namespace: string;
  version: string | undefined;
  labels: Record<string, string>;
  infrastructureTemplate: ObjectReference;
  bootstrap: TalosConfigSpec;
}

/**
 * Create one Machine with its MetalMachine (from the infrastructure template) and TalosConfig, as the
 * Cluster API controllers do: the Machine owned by the control plane or deployment, the other two owned
 * by the Machine.
 */
export async function createMachine(ctx: ControllerContext, m: NewMachine): Promise<Machine> {
  const tmpl = ctx.store.get<MetalMachineTemplate>('MetalMachineTemplate', m.infrastructureTemplate.name ?? '', m.namespace);
  if (!tmpl) throw new MetalboxError('TEMPLATE_MISSING', `MetalMachineTemplate ${m.namespace}/${m.infrastructureTemplate.name} does not exist`);
  const name = generatedName(m.owner.metadata.name);
  const labels = { ...m.labels, [CLUSTER_NAME_LABEL]: m.clusterName };
  const machine = await ctx.store.create<Machine>({
    apiVersion: 'cluster.x-k8s.io/v1beta1',
    kind: 'Machine',
    metadata: { name, namespace: m.namespace, labels, ownerReferences: [ownerRef(m.owner)] },
    spec: {
      clusterName: m.clusterName,
      ...(m.version ? { version: m.version } : {}),
      bootstrap: { configRef: { apiVersion: BOOTSTRAP, kind: 'TalosConfig', name, namespace: m.namespace } },
      infrastructureRef: { apiVersion: INFRA, kind: 'MetalMachine', name, namespace: m.namespace },
    },
  } as Machine);
  await ctx.store.create<MetalMachine>({
    apiVersion: INFRA,
    kind: 'MetalMachine',
    metadata: { name, namespace: m.namespace, labels, ownerReferences: [ownerRef(machine)] },
    spec: structuredClone(tmpl.spec!.template.spec),
  } as MetalMachine);
  await ctx.store.create<TalosConfig>({
    apiVersion: BOOTSTRAP,
    kind: 'TalosConfig',
    metadata: { name, namespace: m.namespace, labels, ownerReferences: [ownerRef(machine)] },
    spec: structuredClone(m.bootstrap),
  } as TalosConfig);
  return machine;
}

/** The Machines a control plane or deployment owns, oldest first. */
export function machinesOf(ctx: ControllerContext, owner: Resource): Machine[] {
  return ctx.store
    .list<Machine>('Machine', { namespace: owner.metadata.namespace ?? 'default' })
    .filter((m) => m.metadata.ownerReferences?.some((o) => o.kind === owner.kind && o.name === owner.metadata.name))
    .sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || a.metadata.name.localeCompare(b.metadata.name));
}

/** Which Machine goes first when scaling down: not yet running ones, then the newest. */
export function scaleDownOrder(machines: Machine[]): Machine[] {
  const rank = (m: Machine) => (m.status?.phase === 'Running' ? 1 : 0);
  return [...machines].sort((a, b) => rank(a) - rank(b) || (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''));
}
