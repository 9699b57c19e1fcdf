import type { MachineDeployment, TalosConfigTemplate } from '../api/index.js';
import { MetalboxError } from '../util/errors.js';
import type { Controller } from './types.js';
import { createMachine, machinesOf, scaleDownOrder } from './machines.js';
import { deleteIfPresent, ownerOf, patchStatus } from './util.js';

/** MachineDeployment: keep `replicas` worker Machines from its template (Metalbox has no MachineSets). */
export const deploymentController: Controller = {
  name: 'machinedeployment',
  primary: 'MachineDeployment',
  watches: [
    {
      kind: 'Machine',
      map: (m) => {
        const owner = ownerOf(m, 'MachineDeployment');
        return owner ? [{ name: owner, ...(m.metadata.namespace ? { namespace: m.metadata.namespace } : {}) }] : [];
      },
    },
  ],
  async reconcile(ctx, ref) {
    const md = ctx.store.get<MachineDeployment>('MachineDeployment', ref.name, ref.namespace);
    if (!md || md.metadata.deletionTimestamp || md.spec!.paused) return;
    const ns = md.metadata.namespace ?? 'default';
    const machines = machinesOf(ctx, md).filter((m) => !m.metadata.deletionTimestamp);
    const want = md.spec!.replicas ?? 1;
    if (machines.length < want) {
      const t = md.spec!.template.spec;
      const cfgRef = t.bootstrap.configRef;
      const tmpl = cfgRef ? ctx.store.get<TalosConfigTemplate>('TalosConfigTemplate', cfgRef.name ?? '', ns) : undefined;
      if (!tmpl) throw new MetalboxError('TEMPLATE_MISSING', `TalosConfigTemplate ${ns}/${cfgRef?.name ?? '(none)'} named by MachineDeployment ${md.metadata.name} does not exist`);
      await createMachine(ctx, {
        owner: md,
        clusterName: md.spec!.clusterName,
        namespace: ns,
        version: t.version,
        labels: { ...md.spec!.template.metadata?.labels },
        infrastructureTemplate: t.infrastructureRef,
        bootstrap: tmpl.spec!.template.spec,
      });
      return;
    }
    if (machines.length > want) {
      await deleteIfPresent(ctx.store, 'Machine', scaleDownOrder(machines)[0]!.metadata.name, ns);
      return;
    }
    const ready = machines.filter((m) => m.status?.phase === 'Running').length;
    await patchStatus(ctx.store, md, (st) => {
      st.replicas = machines.length;
      st.updatedReplicas = machines.length;
      st.readyReplicas = ready;
      st.availableReplicas = ready;
      st.unavailableReplicas = machines.length - ready;
      st.phase = machines.length === want ? (ready === want ? 'Running' : 'ScalingUp') : machines.length < want ? 'ScalingUp' : 'ScalingDown';
      st.observedGeneration = md.metadata.generation ?? 1;
    });
  },
};
