import type { Machine, TalosControlPlane } from '../api/index.js';
import type { Controller } from './types.js';
import { CONTROL_PLANE_LABEL, CONTROL_PLANE_NAME_LABEL, createMachine, machinesOf, scaleDownOrder } from './machines.js';
import { deleteIfPresent, ownerOf, patchStatus } from './util.js';

/**
 * TalosControlPlane: keep `replicas` control plane Machines. The first one gets `controlPlaneConfig.init`
 * when it is given (it bootstraps etcd by itself); the others get `controlplane`.
 */
export const controlPlaneController: Controller = {
  name: 'taloscontrolplane',
  primary: 'TalosControlPlane',
  watches: [
    {
      kind: 'Machine',
      map: (m) => {
        const owner = ownerOf(m, 'TalosControlPlane');
        return owner ? [{ name: owner, ...(m.metadata.namespace ? { namespace: m.metadata.namespace } : {}) }] : [];
      },
    },
  ],
  async reconcile(ctx, ref) {
    const tcp = ctx.store.get<TalosControlPlane>('TalosControlPlane', ref.name, ref.namespace);
    if (!tcp || tcp.metadata.deletionTimestamp) return;
    const ns = tcp.metadata.namespace ?? 'default';
    const clusterName = tcp.metadata.labels?.['cluster.x-k8s.io/cluster-name'] ?? clusterOf(ctx, tcp) ?? tcp.metadata.name;
    const machines = machinesOf(ctx, tcp).filter((m) => !m.metadata.deletionTimestamp);
    const want = tcp.spec!.replicas ?? 1;
    if (machines.length < want) {
      const first = machines.length === 0 && !tcp.status?.initialized;
      const cfg = first && tcp.spec!.controlPlaneConfig.init ? tcp.spec!.controlPlaneConfig.init : tcp.spec!.controlPlaneConfig.controlplane;
      await createMachine(ctx, {
        owner: tcp,
        clusterName,
        namespace: ns,
        version: tcp.spec!.version,
        labels: { [CONTROL_PLANE_LABEL]: '', [CONTROL_PLANE_NAME_LABEL]: tcp.metadata.name },
        infrastructureTemplate: tcp.spec!.infrastructureTemplate,
        bootstrap: cfg,
      });
      return; // the Machine's creation triggers the next step, one at a time as Cluster API scales
    }
    if (machines.length > want) {
      await deleteIfPresent(ctx.store, 'Machine', scaleDownOrder(machines)[0]!.metadata.name, ns);
      return;
    }
    const ready = machines.filter((m) => m.status?.phase === 'Running').length;
    await patchStatus(ctx.store, tcp, (st) => {
      st.replicas = machines.length;
      st.readyReplicas = ready;
      st.unavailableReplicas = machines.length - ready;
      st.selector = `${CONTROL_PLANE_NAME_LABEL}=${tcp.metadata.name}`;
      st.initialized = st.initialized === true || ready > 0;
      st.ready = ready > 0;
      st.bootstrapped = st.bootstrapped === true || ready > 0;
      st.observedGeneration = tcp.metadata.generation ?? 1;
    });
  },
};

function clusterOf(ctx: Parameters<Controller['reconcile']>[0], tcp: TalosControlPlane): string | undefined {
  return ctx.store
    .list('Cluster', { namespace: tcp.metadata.namespace ?? 'default' })
    .find((c) => (c.spec as { controlPlaneRef?: { name?: string } } | undefined)?.controlPlaneRef?.name === tcp.metadata.name)?.metadata.name;
}

export type { Machine };
