import type { Cluster, Machine, MachineDeployment, Secret, TalosControlPlane } from '../api/index.js';
import { bundleSecretName, CONTROL_PLANE_NAME_LABEL, endpointOf, secretValue } from '../controllers/index.js';
import { contractString, defaultKubernetesVersion, kubeconfig, parseContract, parseSecretsBundle, prepareSecretsBundle, talosconfig } from '../talos/index.js';
import { MetalboxError } from '../util/errors.js';
import { clusterManifests, type ClusterForm } from './cluster-template.js';
import { defineOps } from './registry.js';
import type { OpsContext } from './types.js';

function cluster(ctx: OpsContext, name: string, namespace = 'default'): Cluster {
  const c = ctx.store.get<Cluster>('Cluster', name, namespace);
  if (!c) throw new MetalboxError('NOT_FOUND', `cluster "${name}" not found in namespace ${namespace}`, { hint: '`metalbox get clusters -A` lists them' });
  return c;
}

/**
 * Create a cluster the way `clusterctl generate cluster` does with Sidero's template: Cluster,
 * MetalCluster, control plane and worker templates, TalosControlPlane and MachineDeployment. The
 * controllers then make the Machines and claim servers.
 */
async function create(ctx: OpsContext, form: ClusterForm): Promise<{ created: string[] }> {
  const ns = form.namespace ?? 'default';
  if (ctx.store.get('Cluster', form.name, ns)) throw new MetalboxError('EXISTS', `cluster "${form.name}" already exists`);
  for (const cls of [form.controlPlanes.serverClass, form.workers.serverClass]) {
    if (!ctx.store.get('ServerClass', cls)) throw new MetalboxError('NOT_FOUND', `server class "${cls}" not found`, { hint: 'create it first, or use the built-in class "any"' });
  }
  const contract = parseContract(form.talosVersion);
  prepareSecretsBundle(); // the RSA-4096 key takes about half a second of CPU: start it now, in the thread pool
  const objects = clusterManifests({
    ...form,
    namespace: ns,
    talosVersion: contractString(contract),
    kubernetesVersion: form.kubernetesVersion || `v${defaultKubernetesVersion(contract).replace(/^v/, '')}`,
  });
  const created: string[] = [];
  for (const o of objects) {
    await ctx.store.create(o);
    created.push(`${o.kind}/${o.metadata.name}`);
  }
  ctx.events.emit({ type: 'operator.action', action: 'create cluster', target: form.name, detail: `${form.controlPlanes.count} control planes from ${form.controlPlanes.serverClass}, ${form.workers.count} workers from ${form.workers.serverClass}` });
  return { created };
}

async function scale(ctx: OpsContext, a: { name: string; namespace?: string; role: 'controlplane' | 'worker'; replicas: number }): Promise<{ object: string; replicas: number }> {
  const c = cluster(ctx, a.name, a.namespace);
  const ns = c.metadata.namespace ?? 'default';
  if (!Number.isInteger(a.replicas) || a.replicas < 0 || a.replicas > 1000) throw new MetalboxError('USAGE', 'replicas must be a whole number from 0 to 1000');
  if (a.role === 'controlplane') {
    const name = c.spec?.controlPlaneRef?.name;
    if (!name || !ctx.store.get('TalosControlPlane', name, ns)) throw new MetalboxError('NOT_FOUND', `cluster "${a.name}" has no TalosControlPlane`);
    if (a.replicas < 1) throw new MetalboxError('USAGE', 'a cluster needs at least one control plane');
    await ctx.store.mutate<TalosControlPlane>('TalosControlPlane', name, ns, (o) => void (o.spec!.replicas = a.replicas));
    ctx.events.emit({ type: 'operator.action', action: 'scale control plane', target: a.name, detail: `${a.replicas}` });
    return { object: `TalosControlPlane/${name}`, replicas: a.replicas };
  }
  const md = ctx.store.list<MachineDeployment>('MachineDeployment', { namespace: ns }).find((d) => d.spec?.clusterName === a.name);
  if (!md) throw new MetalboxError('NOT_FOUND', `cluster "${a.name}" has no MachineDeployment for workers`);
  await ctx.store.mutate<MachineDeployment>('MachineDeployment', md.metadata.name, ns, (o) => void (o.spec!.replicas = a.replicas));
  ctx.events.emit({ type: 'operator.action', action: 'scale workers', target: a.name, detail: `${a.replicas}` });
  return { object: `MachineDeployment/${md.metadata.name}`, replicas: a.replicas };
}

/** Delete a cluster; its machines, configs and claims go with it (owner references), releasing the servers. */
async function remove(ctx: OpsContext, a: { name: string; namespace?: string }): Promise<{ machines: number; servers: string[] }> {
  const c = cluster(ctx, a.name, a.namespace);
  const machines = machinesOf(ctx, c);
  const servers = machines.map((m) => m.spec?.providerID?.replace('sidero://', '')).filter((s): s is string => !!s);
  await ctx.store.delete('Cluster', c.metadata.name, c.metadata.namespace);
  ctx.events.emit({ type: 'operator.action', action: 'delete cluster', target: a.name, detail: `${machines.length} machines, releasing ${servers.length} servers` });
  return { machines: machines.length, servers };
}

function machinesOf(ctx: OpsContext, c: Cluster): Machine[] {
  return ctx.store.list<Machine>('Machine', { namespace: c.metadata.namespace ?? 'default' }).filter((m) => m.spec?.clusterName === c.metadata.name);
}

function bundleOf(ctx: OpsContext, c: Cluster) {
  const text = secretValue(ctx.store.get<Secret>('Secret', bundleSecretName(c.metadata.name), c.metadata.namespace ?? 'default'), 'bundle');
  if (!text) throw new MetalboxError('NOT_READY', `cluster "${c.metadata.name}" has no secrets yet`, { hint: 'they are made when its first machine is configured; wait for a server to be allocated' });
  return parseSecretsBundle(text);
}

/** Control plane node addresses where known, else the endpoint host. */
function controlPlaneAddresses(ctx: OpsContext, c: Cluster): string[] {
  const tcp = c.spec?.controlPlaneRef?.name ?? '';
  const addrs = machinesOf(ctx, c)
    .filter((m) => m.metadata.labels?.[CONTROL_PLANE_NAME_LABEL] === tcp)
    .flatMap((m) => (m.status?.addresses ?? []).filter((x) => x.type === 'InternalIP').map((x) => x.address));
  return addrs.length ? addrs : [new URL(endpointOf({ store: ctx.store, events: ctx.events, settings: ctx.settings }, c)).hostname.replace(/^\[|\]$/g, '')];
}

async function clientTalosconfig(ctx: OpsContext, a: { name: string; namespace?: string }): Promise<string> {
  const c = cluster(ctx, a.name, a.namespace);
  const nodes = controlPlaneAddresses(ctx, c);
  return (await talosconfig({ clusterName: c.metadata.name, endpoints: nodes, nodes: nodes.slice(0, 1), secrets: bundleOf(ctx, c) })).text;
}

async function clientKubeconfig(ctx: OpsContext, a: { name: string; namespace?: string }): Promise<string> {
  const c = cluster(ctx, a.name, a.namespace);
  const endpoint = endpointOf({ store: ctx.store, events: ctx.events, settings: ctx.settings }, c);
  return (await kubeconfig({ clusterName: c.metadata.name, endpoint, secrets: bundleOf(ctx, c) })).text;
}

defineOps({
  'clusters.create': create,
  'clusters.scale': scale,
  'clusters.delete': remove,
  'clusters.talosconfig': clientTalosconfig,
  'clusters.kubeconfig': clientKubeconfig,
});
