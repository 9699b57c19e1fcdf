import { CLUSTER_NAME_LABEL, type Cluster, type MetalCluster, type Resource, type TalosControlPlane } from '../api/index.js';
import type { Controller, ControllerContext, Ref } from './types.js';
import { isOwnedBy, ownerRef, patchStatus } from './util.js';

/** Kinds a Cluster owns (set on them by Cluster API's controllers), so deleting the Cluster removes them. */
const OWNED_KINDS = ['MetalCluster', 'TalosControlPlane', 'MachineDeployment', 'MetalMachineTemplate', 'TalosConfigTemplate'];

const clusterOfObject = (o: Resource): Ref[] => {
  const name = o.metadata.labels?.[CLUSTER_NAME_LABEL] ?? o.metadata.ownerReferences?.find((r) => r.kind === 'Cluster')?.name;
  return name ? [{ name, namespace: o.metadata.namespace ?? 'default' }] : [];
};

/**
 * Cluster: adopt what belongs to it (owner references, as Cluster API does), mark its MetalCluster ready,
 * copy the control plane endpoint, and follow the phase: Provisioning until the infrastructure is ready,
 * then Provisioned; controlPlaneReady once a control plane machine runs.
 */
export const clusterController: Controller = {
  name: 'cluster',
  primary: 'Cluster',
  watches: [
    { kind: 'MetalCluster', map: (o, ctx) => referrers(ctx, o, 'infrastructureRef') },
    { kind: 'TalosControlPlane', map: (o, ctx) => referrers(ctx, o, 'controlPlaneRef') },
    { kind: 'MachineDeployment', map: clusterOfObject },
  ],
  async reconcile(ctx, ref) {
    const cluster = ctx.store.get<Cluster>('Cluster', ref.name, ref.namespace);
    if (!cluster || cluster.metadata.deletionTimestamp) return;
    const ns = cluster.metadata.namespace ?? 'default';
    await adopt(ctx, cluster, ns);
    const infraRef = cluster.spec?.infrastructureRef;
    const mc = infraRef?.name ? ctx.store.get<MetalCluster>('MetalCluster', infraRef.name, ns) : undefined;
    if (mc && !mc.status?.ready) await patchStatus(ctx.store, mc, (st) => void (st.ready = true));
    const endpoint = mc?.spec?.controlPlaneEndpoint;
    if (endpoint?.host && !cluster.spec?.controlPlaneEndpoint?.host) {
      await ctx.store.mutate<Cluster>('Cluster', cluster.metadata.name, ns, (o) => {
        o.spec = { ...o.spec, controlPlaneEndpoint: { host: endpoint.host, port: endpoint.port || 6443 } };
      });
      return;
    }
    const cpRef = cluster.spec?.controlPlaneRef;
    const tcp = cpRef?.name ? ctx.store.get<TalosControlPlane>('TalosControlPlane', cpRef.name, ns) : undefined;
    await patchStatus(ctx.store, cluster, (st) => {
      st.infrastructureReady = !!mc?.status?.ready;
      st.controlPlaneReady = !!tcp?.status?.ready;
      st.phase = st.infrastructureReady ? 'Provisioned' : 'Provisioning';
      st.observedGeneration = cluster.metadata.generation ?? 1;
    });
  },
};

function referrers(ctx: ControllerContext, o: Resource, field: 'infrastructureRef' | 'controlPlaneRef'): Ref[] {
  return ctx.store
    .list<Cluster>('Cluster', { namespace: o.metadata.namespace ?? 'default' })
    .filter((c) => c.spec?.[field]?.name === o.metadata.name)
    .map((c) => ({ name: c.metadata.name, namespace: c.metadata.namespace ?? 'default' }));
}

/** The objects of this cluster: referenced from it, labelled with its name, or named in its templates. */
async function adopt(ctx: ControllerContext, cluster: Cluster, ns: string): Promise<void> {
  const names = new Set([cluster.spec?.infrastructureRef?.name, cluster.spec?.controlPlaneRef?.name].filter(Boolean));
  const tcp = cluster.spec?.controlPlaneRef?.name ? ctx.store.get<TalosControlPlane>('TalosControlPlane', cluster.spec.controlPlaneRef.name, ns) : undefined;
  if (tcp?.spec?.infrastructureTemplate.name) names.add(tcp.spec.infrastructureTemplate.name);
  for (const md of ctx.store.list('MachineDeployment', { namespace: ns })) {
    const s = md.spec as { clusterName?: string; template?: { spec?: { infrastructureRef?: { name?: string }; bootstrap?: { configRef?: { name?: string } } } } };
    if (s.clusterName !== cluster.metadata.name) continue;
    names.add(md.metadata.name);
    if (s.template?.spec?.infrastructureRef?.name) names.add(s.template.spec.infrastructureRef.name);
    if (s.template?.spec?.bootstrap?.configRef?.name) names.add(s.template.spec.bootstrap.configRef.name);
  }
  for (const kind of OWNED_KINDS) {
    for (const o of ctx.store.list(kind, { namespace: ns })) {
      const mine = names.has(o.metadata.name) || o.metadata.labels?.[CLUSTER_NAME_LABEL] === cluster.metadata.name;
      if (!mine || isOwnedBy(o, cluster)) continue;
      await ctx.store.mutate(kind, o.metadata.name, ns, (x) => {
        x.metadata.ownerReferences = [...(x.metadata.ownerReferences ?? []), ownerRef(cluster, kind === 'MetalCluster' || kind === 'TalosControlPlane')];
        x.metadata.labels = { ...x.metadata.labels, [CLUSTER_NAME_LABEL]: cluster.metadata.name };
      });
    }
  }
}
