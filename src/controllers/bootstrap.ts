import { CLUSTER_NAME_LABEL, type Cluster, type Machine, type MetalCluster, type Secret, type TalosConfig } from '../api/index.js';
import type { ConfigPatch, MachineType, PatchSet, VersionContract } from '../talos/index.js';
import { errorMessage, MetalboxError } from '../util/errors.js';
import { clusterSecrets, secretWith } from './secrets.js';
import type { Controller, ControllerContext } from './types.js';
import { ownerOf, ownerRef, patchStatus, setCondition } from './util.js';

/** CABPT's name for the Secret holding a machine's bootstrap data (key `value`). */
export const bootstrapSecretName = (talosConfig: string) => `${talosConfig}-bootstrap-data`;

/**
 * TalosConfig (the bootstrap provider): render the machine config of its generateType for the owning
 * Machine's cluster, apply the TalosConfig's own patches (JSON patches, then strategic ones), and store it
 * in the bootstrap Secret. Class and Server patches are applied later, at boot, as Sidero does.
 */
export const bootstrapController: Controller = {
  name: 'talosconfig',
  primary: 'TalosConfig',
  watches: [
    { kind: 'Machine', map: (m) => refsOf(m) },
    { kind: 'Cluster', map: (c, ctx) => ctx.store.list('TalosConfig', { namespace: c.metadata.namespace ?? 'default' }).filter((t) => t.metadata.labels?.[CLUSTER_NAME_LABEL] === c.metadata.name).map((t) => ({ name: t.metadata.name, namespace: t.metadata.namespace ?? 'default' })) },
  ],
  async reconcile(ctx, ref) {
    const tc = ctx.store.get<TalosConfig>('TalosConfig', ref.name, ref.namespace);
    if (!tc || tc.metadata.deletionTimestamp || tc.status?.ready) return;
    const ns = tc.metadata.namespace ?? 'default';
    const machine = ctx.store.get<Machine>('Machine', ownerOf(tc, 'Machine') ?? '', ns);
    if (!machine) return; // waiting for the owner, as CABPT does
    const cluster = ctx.store.get<Cluster>('Cluster', machine.spec!.clusterName, ns);
    if (!cluster) return;
    let data: string;
    try {
      data = await render(ctx, tc, machine, cluster);
    } catch (e) {
      await patchStatus(ctx.store, tc, (st) => {
        st.ready = false;
        st.failureReason = 'RenderFailed';
        st.failureMessage = errorMessage(e);
        st.conditions = setCondition(st.conditions, { type: 'DataSecretAvailable', status: 'False', severity: 'Error', reason: 'RenderFailed', message: errorMessage(e) });
      });
      throw e;
    }
    const secretName = bootstrapSecretName(tc.metadata.name);
    const labels = { [CLUSTER_NAME_LABEL]: cluster.metadata.name };
    const secret = secretWith(secretName, ns, { value: data }, { labels, ownerReferences: [ownerRef(tc)] }, 'cluster.x-k8s.io/secret');
    if (ctx.store.get<Secret>('Secret', secretName, ns)) await ctx.store.update(secret);
    else await ctx.store.create(secret);
    await patchStatus(ctx.store, tc, (st) => {
      st.ready = true;
      st.dataSecretName = secretName;
      delete st.failureReason;
      delete st.failureMessage;
      st.observedGeneration = tc.metadata.generation ?? 1;
      st.conditions = setCondition(st.conditions, { type: 'DataSecretAvailable', status: 'True', severity: '' });
    });
  },
};

function refsOf(m: { spec?: unknown; metadata: { namespace?: string } }) {
  const ref = (m.spec as Machine['spec'])?.bootstrap?.configRef;
  return ref?.kind === 'TalosConfig' && ref.name ? [{ name: ref.name, namespace: ref.namespace ?? m.metadata.namespace ?? 'default' }] : [];
}

/** The control plane endpoint URL: Cluster.spec.controlPlaneEndpoint, else the MetalCluster's. */
export function endpointOf(ctx: ControllerContext, cluster: Cluster): string {
  let ep = cluster.spec?.controlPlaneEndpoint;
  if (!ep?.host) {
    const ref = cluster.spec?.infrastructureRef;
    ep = ref?.name ? ctx.store.get<MetalCluster>('MetalCluster', ref.name, ref.namespace ?? cluster.metadata.namespace)?.spec?.controlPlaneEndpoint : undefined;
  }
  if (!ep?.host) {
    throw new MetalboxError('NO_ENDPOINT', `cluster ${cluster.metadata.name} has no control plane endpoint`, {
      hint: 'set MetalCluster.spec.controlPlaneEndpoint (host and port), e.g. a VIP or the first control plane address',
    });
  }
  return `https://${ep.host.includes(':') ? `[${ep.host}]` : ep.host}:${ep.port || 6443}`;
}

async function render(ctx: ControllerContext, tc: TalosConfig, machine: Machine, cluster: Cluster): Promise<string> {
  const spec = tc.spec!;
  if (spec.generateType === 'none') {
    if (!spec.data) throw new MetalboxError('NO_DATA', `TalosConfig ${tc.metadata.name} has generateType none but no data`);
    return spec.data;
  }
  // The Talos library loads with the first config rendered, not at start.
  const { applyPatches, formatIssues, generateMachineConfig, parseContract, setPatches, validateMachineConfig } = await import('../talos/index.js');
  const secrets = await clusterSecrets(ctx.store, cluster, spec.talosVersion);
  const net = cluster.spec?.clusterNetwork;
  const base = generateMachineConfig({
    type: spec.generateType as MachineType,
    ...(spec.talosVersion ? { talosVersion: spec.talosVersion } : {}),
    secrets,
    clusterName: cluster.metadata.name,
    endpoint: endpointOf(ctx, cluster),
    ...(machine.spec!.version ? { kubernetesVersion: machine.spec!.version } : {}),
    ...(net?.serviceDomain ? { dnsDomain: net.serviceDomain } : {}),
    ...(net?.pods?.cidrBlocks?.length ? { podSubnets: net.pods.cidrBlocks } : {}),
    ...(net?.services?.cidrBlocks?.length ? { serviceSubnets: net.services.cidrBlocks } : {}),
  });
  const source = `TalosConfig/${tc.metadata.name}`;
  const patches: ConfigPatch[] = setPatches(source, spec as PatchSet);
  if (spec.hostname?.source === 'MachineName') patches.push(hostnamePatch(source, machine.metadata.name, parseContract(spec.talosVersion)));
  const config = patches.length ? applyPatches(base, patches) : base;
  const issues = validateMachineConfig(config, spec.talosVersion);
  if (issues.length > 0) {
    throw new MetalboxError('TALOS_CONFIG_INVALID', `the config of TalosConfig ${tc.metadata.name} is not valid for Talos ${spec.talosVersion || 'current'}:\n${formatIssues(issues)}`, {
      hint: 'fix the TalosConfig (or TalosConfigTemplate) patches that set these fields',
    });
  }
  return config;
}

/**
 * CABPT's hostname patch (hostname.source MachineName): a HostnameConfig document from Talos 1.12, whose
 * generated configs already carry `HostnameConfig{auto: stable}` (setting machine.network.hostname beside it
 * is refused by Talos as "static hostname is already set"), machine.network.hostname before.
 */
export function hostnamePatch(source: string, hostname: string, c: VersionContract): ConfigPatch {
  const at = { source: `${source} hostname`, index: 0, kind: 'strategic' } as const;
  if (c.major > 1 || c.minor >= 12) return { ...at, patch: { apiVersion: 'v1alpha1', kind: 'HostnameConfig', auto: 'off', hostname } };
  return { ...at, patch: { machine: { network: { hostname } } } };
}
