import type { Machine, MachinePhase, MetalMachine, Server, ServerBinding, TalosConfig } from '../api/index.js';
import type { Controller, Ref } from './types.js';
import { conditionTrue, patchStatus } from './util.js';

const byMachineName = (o: { metadata: { name: string; namespace?: string; ownerReferences?: { kind: string; name: string }[] } }): Ref[] => {
  const owner = o.metadata.ownerReferences?.find((r) => r.kind === 'Machine');
  return owner ? [{ name: owner.name, namespace: o.metadata.namespace ?? 'default' }] : [];
};

/**
 * Machine (Cluster API's machine controller): copy the bootstrap data Secret name and the provider ID
 * into the spec, and follow the phase: Pending, Provisioning (bootstrap data ready), Provisioned (a server
 * is bound), Running (Talos installed on it).
 */
export const machineController: Controller = {
  name: 'machine',
  primary: 'Machine',
  watches: [
    { kind: 'TalosConfig', map: byMachineName },
    { kind: 'MetalMachine', map: byMachineName },
    {
      kind: 'ServerBinding',
      map: (b, ctx) => {
        const ref = (b.spec as ServerBinding['spec'])?.metalMachineRef;
        const mm = ref?.name ? ctx.store.get<MetalMachine>('MetalMachine', ref.name, ref.namespace) : undefined;
        return mm ? byMachineName(mm) : [];
      },
    },
    {
      kind: 'Server',
      map: (s, ctx) => {
        const b = ctx.store.get<ServerBinding>('ServerBinding', s.metadata.name);
        const ref = b?.spec?.metalMachineRef;
        const mm = ref?.name ? ctx.store.get<MetalMachine>('MetalMachine', ref.name, ref.namespace) : undefined;
        return mm ? byMachineName(mm) : [];
      },
    },
  ],
  async reconcile(ctx, ref) {
    const m = ctx.store.get<Machine>('Machine', ref.name, ref.namespace);
    if (!m || m.metadata.deletionTimestamp) return;
    const ns = m.metadata.namespace ?? 'default';
    const tc = m.spec!.bootstrap.configRef?.name ? ctx.store.get<TalosConfig>('TalosConfig', m.spec!.bootstrap.configRef.name, ns) : undefined;
    const mm = m.spec!.infrastructureRef.name ? ctx.store.get<MetalMachine>('MetalMachine', m.spec!.infrastructureRef.name, ns) : undefined;
    const dataSecret = m.spec!.bootstrap.dataSecretName ?? (tc?.status?.ready ? tc.status.dataSecretName : undefined);
    const providerID = m.spec!.providerID ?? mm?.spec?.providerID;
    if ((dataSecret && !m.spec!.bootstrap.dataSecretName) || (providerID && !m.spec!.providerID)) {
      await ctx.store.mutate<Machine>('Machine', m.metadata.name, ns, (o) => {
        if (dataSecret) o.spec!.bootstrap.dataSecretName = dataSecret;
        if (providerID) o.spec!.providerID = providerID;
      });
      return;
    }
    const server = mm?.spec?.serverRef?.name;
    const binding = server ? ctx.store.get<ServerBinding>('ServerBinding', server) : undefined;
    const installed = !!binding && (conditionTrue(binding.status?.conditions, 'TalosInstalled') || conditionTrue(ctx.store.get<Server>('Server', server!)?.status?.conditions, 'PXEBooted'));
    const phase: MachinePhase = !dataSecret ? 'Pending' : !mm?.status?.ready ? 'Provisioning' : installed ? 'Running' : 'Provisioned';
    await patchStatus(ctx.store, m, (st) => {
      st.phase = phase;
      st.bootstrapReady = !!dataSecret;
      st.infrastructureReady = !!mm?.status?.ready;
      if (mm?.status?.addresses?.length) st.addresses = mm.status.addresses;
      st.observedGeneration = m.metadata.generation ?? 1;
    });
  },
};
