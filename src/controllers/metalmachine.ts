import { annotations, CLUSTER_NAME_LABEL, serversOfClass, type MetalMachine, type Server, type ServerBinding, type ServerClass } from '../api/index.js';
import { CONTROL_PLANE_LABEL } from './machines.js';
import type { Controller, ControllerContext } from './types.js';
import { deleteIfPresent, patchStatus, setCondition } from './util.js';

export const METALMACHINE_FINALIZER = 'metalmachine.infrastructure.cluster.x-k8s.io';
const INFRA = 'infrastructure.cluster.x-k8s.io/v1alpha3';

const allMetalMachines = (_o: unknown, ctx: ControllerContext) =>
  ctx.store.list('MetalMachine').filter((m) => !(m.spec as { serverRef?: unknown }).serverRef).map((m) => ({ name: m.metadata.name, ...(m.metadata.namespace ? { namespace: m.metadata.namespace } : {}) }));

/**
 * MetalMachine: claim a server (Sidero's allocation, improved): a pinned serverRef is bound as is;
 * otherwise the first available server of the class, preferring servers the operator reserved for this
 * cluster and role and never taking one reserved for another cluster. The claim is a ServerBinding named
 * after the server; deleting the MetalMachine releases it.
 */
export const metalMachineController: Controller = {
  name: 'metalmachine',
  primary: 'MetalMachine',
  watches: [
    { kind: 'Server', map: allMetalMachines },
    { kind: 'ServerClass', map: allMetalMachines },
    {
      kind: 'ServerBinding',
      map: (b) => {
        const ref = (b.spec as ServerBinding['spec'])?.metalMachineRef;
        return ref?.name ? [{ name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) }] : [];
      },
    },
  ],
  async reconcile(ctx, ref) {
    const mm = ctx.store.get<MetalMachine>('MetalMachine', ref.name, ref.namespace);
    if (!mm) return;
    if (mm.metadata.deletionTimestamp) return release(ctx, mm);
    if (!mm.metadata.finalizers?.includes(METALMACHINE_FINALIZER)) {
      await ctx.store.mutate<MetalMachine>('MetalMachine', mm.metadata.name, mm.metadata.namespace, (o) => {
        o.metadata.finalizers = [...(o.metadata.finalizers ?? []), METALMACHINE_FINALIZER];
      });
      return;
    }
    const serverName = mm.spec?.serverRef?.name ?? pickServer(ctx, mm);
    if (!serverName) {
      const cls = mm.spec?.serverClassRef?.name ?? '(none)';
      await patchStatus(ctx.store, mm, (st) => {
        st.ready = false;
        st.failureMessage = `no server available in ServerClass ${cls}: accept, add or release one`;
      });
      return;
    }
    const binding = await ensureBinding(ctx, mm, serverName);
    if (!mm.spec?.serverRef || !mm.spec.providerID) {
      await ctx.store.mutate<MetalMachine>('MetalMachine', mm.metadata.name, mm.metadata.namespace, (o) => {
        o.spec = { ...o.spec, serverRef: { kind: 'Server', name: serverName }, providerID: `sidero://${serverName}` };
      });
      ctx.events.emit({ type: 'controller.note', controller: 'metalmachine', key: `${mm.metadata.namespace}/${mm.metadata.name}`, message: `allocated server ${serverName}` });
    }
    if (!binding) return;
    await patchStatus(ctx.store, mm, (st) => {
      st.ready = true;
      delete st.failureMessage;
      st.addresses = (binding.spec?.addresses ?? []).map((address) => ({ type: 'InternalIP' as const, address }));
      if (binding.spec?.hostname) st.addresses.push({ type: 'Hostname', address: binding.spec.hostname });
      let conds = setCondition(st.conditions, { type: 'ProviderSet', status: 'True', severity: '' });
      for (const c of binding.status?.conditions ?? []) conds = setCondition(conds, c);
      st.conditions = conds;
    });
  },
};

function pickServer(ctx: ControllerContext, mm: MetalMachine): string | undefined {
  const cls = mm.spec?.serverClassRef?.name ? ctx.store.get<ServerClass>('ServerClass', mm.spec.serverClassRef.name) : undefined;
  if (!cls) return undefined;
  const cluster = mm.metadata.labels?.[CLUSTER_NAME_LABEL];
  const role = mm.metadata.labels?.[CONTROL_PLANE_LABEL] !== undefined ? 'controlplane' : 'worker';
  const bound = new Set(ctx.store.list('ServerBinding').map((b) => b.metadata.name));
  const candidates = serversOfClass(cls, ctx.store.list<Server>('Server')).filter((s) => {
    const reservedFor = s.metadata.labels?.[annotations.CLUSTER_LABEL];
    return !bound.has(s.metadata.name) && s.status?.isClean !== false && !s.metadata.deletionTimestamp && (!reservedFor || reservedFor === cluster);
  });
  const score = (s: Server) => {
    const l = s.metadata.labels ?? {};
    if (l[annotations.CLUSTER_LABEL] !== cluster) return 2;
    return !l[annotations.ROLE_LABEL] || l[annotations.ROLE_LABEL] === role ? 0 : 1;
  };
  const contention = contentionOf(ctx, cls.metadata.name);
  return candidates.sort((a, b) => score(a) - score(b) || contention(a) - contention(b) || a.metadata.name.localeCompare(b.metadata.name))[0]?.metadata.name;
}

/**
 * How many other classes in demand (named by a machine template or a waiting MetalMachine) would also take
 * a server: a broad class ("any") then leaves the servers a narrow class needs ("dell") for it.
 */
function contentionOf(ctx: ControllerContext, own: string): (s: Server) => number {
  const wanted = new Set<string>();
  for (const t of ctx.store.list('MetalMachineTemplate')) {
    const name = (t.spec as { template?: { spec?: { serverClassRef?: { name?: string } } } })?.template?.spec?.serverClassRef?.name;
    if (name) wanted.add(name);
  }
  for (const m of ctx.store.list<MetalMachine>('MetalMachine')) if (!m.spec?.serverRef && m.spec?.serverClassRef?.name) wanted.add(m.spec.serverClassRef.name);
  wanted.delete(own);
  const classes = [...wanted].map((n) => ctx.store.get<ServerClass>('ServerClass', n)).filter((c): c is ServerClass => !!c);
  return (s) => classes.filter((c) => serversOfClass(c, [s]).length > 0).length;
}

async function ensureBinding(ctx: ControllerContext, mm: MetalMachine, server: string): Promise<ServerBinding | undefined> {
  const existing = ctx.store.get<ServerBinding>('ServerBinding', server);
  if (existing) {
    const r = existing.spec?.metalMachineRef;
    return r?.name === mm.metadata.name && (r.namespace ?? 'default') === (mm.metadata.namespace ?? 'default') ? existing : undefined;
  }
  return ctx.store.create<ServerBinding>({
    apiVersion: INFRA,
    kind: 'ServerBinding',
    metadata: { name: server, labels: { ...mm.metadata.labels } },
    spec: {
      ...(mm.spec?.serverRef ? {} : mm.spec?.serverClassRef ? { serverClassRef: { ...mm.spec.serverClassRef } } : {}),
      metalMachineRef: { kind: 'MetalMachine', name: mm.metadata.name, namespace: mm.metadata.namespace ?? 'default', uid: mm.metadata.uid ?? '' },
    },
    status: { ready: true },
  } as ServerBinding);
}

async function release(ctx: ControllerContext, mm: MetalMachine): Promise<void> {
  const server = mm.spec?.serverRef?.name;
  if (server) {
    const b = ctx.store.get<ServerBinding>('ServerBinding', server);
    if (b && b.spec?.metalMachineRef.name === mm.metadata.name) await deleteIfPresent(ctx.store, 'ServerBinding', server);
  }
  await ctx.store.mutate<MetalMachine>('MetalMachine', mm.metadata.name, mm.metadata.namespace, (o) => {
    o.metadata.finalizers = (o.metadata.finalizers ?? []).filter((f) => f !== METALMACHINE_FINALIZER);
  });
}
