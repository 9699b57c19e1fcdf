/**
 * Cluster actions shared by the clusters list and a cluster's page: create from a short form, scale, save
 * talosconfig and kubeconfig to files, delete with what it takes with it.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { Cluster, ServerClass } from '../../api/index.js';
import { errorMessage } from '../../util/errors.js';
import { machinesOf, serverOfMachine, summarise } from '../render/clusters.js';
import type { ConsoleContext } from './view.js';

const wholeNumber = (s: string) => /^\d+$/.test(s);

export async function createCluster(ctx: ConsoleContext): Promise<void> {
  const classes = () => ctx.store.list<ServerClass>('ServerClass').map((c) => c.metadata.name).sort();
  const completeClass = (t: string) => classes().filter((c) => c.startsWith(t));
  await ctx.dialogs.form(
    'new cluster',
    [
      { name: 'name', label: 'name', hint: 'e.g. prod; lowercase letters, digits and -' },
      { name: 'endpoint', label: 'endpoint', hint: 'the control plane address: a free VIP or the first control plane, e.g. 10.0.0.10' },
      { name: 'cp', label: 'control planes', initial: '1', hint: '1 or 3 (an odd number keeps etcd quorum)' },
      { name: 'cpClass', label: 'from class', initial: 'any', hint: 'server class the control planes come from (tab completes)', complete: completeClass },
      { name: 'workers', label: 'workers', initial: '0', hint: 'how many worker machines' },
      { name: 'workerClass', label: 'from class', initial: 'any', hint: 'server class the workers come from (tab completes)', complete: completeClass },
      { name: 'talos', label: 'Talos version', hint: 'empty = the newest supported' },
      { name: 'kubernetes', label: 'Kubernetes version', hint: "empty = that Talos version's default" },
    ],
    async (v) => {
      if (!v.name) return 'the cluster needs a name';
      if (!v.endpoint) return 'the cluster needs a control plane endpoint (an address its nodes and you reach the API at)';
      if (!wholeNumber(v.cp!) || Number(v.cp) < 1) return 'control planes: a whole number, at least 1';
      if (!wholeNumber(v.workers!)) return 'workers: a whole number';
      try {
        await ctx.call('clusters.create', {
          name: v.name,
          endpoint: v.endpoint,
          ...(v.talos ? { talosVersion: v.talos } : {}),
          ...(v.kubernetes ? { kubernetesVersion: v.kubernetes } : {}),
          controlPlanes: { count: Number(v.cp), serverClass: v.cpClass || 'any' },
          workers: { count: Number(v.workers), serverClass: v.workerClass || 'any' },
        });
      } catch (e) {
        return errorMessage(e);
      }
      ctx.flash.info(`created cluster ${v.name}: ${Number(v.cp)} control plane(s), ${Number(v.workers)} worker(s); servers are claimed as they become available`);
      return undefined;
    },
  );
}

export async function scaleCluster(ctx: ConsoleContext, c: Cluster, role: 'controlplane' | 'worker', delta: number): Promise<void> {
  const sum = summarise(ctx.store, c);
  const current = role === 'controlplane' ? sum.cp.want : sum.workers.want;
  const replicas = current + delta;
  if (replicas < (role === 'controlplane' ? 1 : 0)) {
    ctx.flash.warn(role === 'controlplane' ? 'a cluster needs at least one control plane' : 'no workers to remove');
    return;
  }
  const what = role === 'controlplane' ? 'control planes' : 'workers';
  if (delta < 0 && !(await ctx.dialogs.confirm(`scale ${c.metadata.name}`, [`Scale ${what} of ${c.metadata.name} from ${current} to ${replicas}?`, 'One machine is removed and its server released and wiped.'], true))) return;
  await ctx.op('clusters.scale', { name: c.metadata.name, namespace: c.metadata.namespace, role, replicas }, () => `${c.metadata.name}: ${what} ${current} → ${replicas}`);
}

/** Ask where to save, then write the file (mode 0600: it holds an admin credential). */
export async function saveClientConfig(ctx: ConsoleContext, c: Cluster, which: 'talosconfig' | 'kubeconfig'): Promise<void> {
  await ctx.dialogs.prompt(`save ${which} of ${c.metadata.name}`, {
    label: `file to write (an admin credential: keep it safe)`,
    initial: resolve(ctx.cwd, `${c.metadata.name}-${which}`),
    accept: async (path) => {
      if (!path.trim()) return 'give a file name';
      const file = isAbsolute(path) ? path : resolve(ctx.cwd, path);
      if (existsSync(file) && !(await ctx.dialogs.confirm('overwrite', [`${file} exists. Replace it?`], true))) return 'not saved: choose another file name';
      try {
        const text = await ctx.call<string>(`clusters.${which}`, { name: c.metadata.name, namespace: c.metadata.namespace });
        await writeFile(file, text, { mode: 0o600 });
      } catch (e) {
        return errorMessage(e);
      }
      ctx.flash.info(`wrote ${which} of ${c.metadata.name} to ${file}${which === 'talosconfig' ? ' (talosctl --talosconfig FILE)' : ' (kubectl --kubeconfig FILE)'}`);
      return undefined;
    },
  });
}

export async function deleteCluster(ctx: ConsoleContext, c: Cluster): Promise<void> {
  const machines = machinesOf(ctx.store, c);
  const servers = machines.map((m) => serverOfMachine(ctx.store, m)).filter(Boolean);
  const lines = [
    `Delete cluster ${c.metadata.name}?`,
    `This removes 1 Cluster, ${machines.length} Machine${machines.length === 1 ? '' : 's'} and their configs,`,
    `and releases ${servers.length} server${servers.length === 1 ? '' : 's'}, which are wiped before reuse.`,
  ];
  if (!(await ctx.dialogs.confirm(`delete cluster ${c.metadata.name}`, lines, true))) return;
  await ctx.op<{ machines: number; servers: string[] }>('clusters.delete', { name: c.metadata.name, namespace: c.metadata.namespace }, (r) => `deleting cluster ${c.metadata.name}: ${r.machines} machines, ${r.servers.length} servers released`);
}
