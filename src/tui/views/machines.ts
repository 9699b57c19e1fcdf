/**
 * Machines (Cluster API nodes) with the servers behind them: the machines view, and a cluster's page,
 * which is the same list scoped to one cluster with the cluster's own actions.
 */
import type { Cluster, Machine, Server } from '../../api/index.js';
import type { Action } from '../keys.js';
import { isControlPlane, PHASE_ROLE, readyCell, serverOfMachine, summarise } from '../render/clusters.js';
import { STATE_ROLE, serverState } from '../render/servers.js';
import { age, safe } from '../text.js';
import { createCluster, deleteCluster, saveClientConfig, scaleCluster } from './cluster-actions.js';
import { editAction, yamlAction } from './common-actions.js';
import { ListView, type ListSpec } from './list.js';
import { ServerPage } from './server-page.js';
import type { ConsoleContext } from './view.js';

const COLUMNS = [
  { title: 'NAME', min: 10, max: 36 },
  { title: 'CLUSTER', min: 6, max: 20, drop: 3 },
  { title: 'ROLE', min: 6 },
  { title: 'PHASE', min: 7 },
  { title: 'SERVER', min: 10, max: 36, flex: true },
  { title: 'SERVER STATE', min: 8, drop: 2 },
  { title: 'ADDRESS', max: 18, drop: 4 },
  { title: 'VERSION', drop: 5 },
  { title: 'AGE', align: 'right' as const, drop: 6 },
];

function machinesSpec(opts: { name: string; scope?: (m: Machine) => boolean; actions: ListSpec<Machine>['actions']; title?: ListSpec<Machine>['title'] }): ListSpec<Machine> {
  return {
    name: opts.name,
    kind: 'Machine',
    namespaced: true,
    related: ['MetalMachine', 'ServerBinding', 'Server', 'Cluster', 'TalosControlPlane', 'MachineDeployment'],
    columns: COLUMNS,
    sortCol: 2,
    empty: 'no machines: create a cluster (:clusters, n) and its machines appear here',
    ...(opts.scope ? { scope: opts.scope } : {}),
    ...(opts.title ? { title: opts.title } : {}),
    row: (m, ctx) => {
      const serverName = serverOfMachine(ctx.store, m);
      const server = serverName ? ctx.store.get<Server>('Server', serverName) : undefined;
      const state = server ? serverState(server, ctx.relations, ctx.progress.of(server.metadata.name)) : undefined;
      const phase = m.metadata.deletionTimestamp ? 'Deleting' : (m.status?.phase ?? 'Pending');
      const created = m.metadata.creationTimestamp;
      return {
        id: `${m.metadata.namespace ?? 'default'}/${m.metadata.name}`,
        labels: m.metadata.labels ?? {},
        cells: [
          { text: m.metadata.name },
          { text: m.spec?.clusterName ?? '' },
          { text: isControlPlane(m) ? 'control plane' : 'worker', sort: isControlPlane(m) ? 0 : 1 },
          { text: phase, role: PHASE_ROLE[phase] ?? 'text' },
          { text: serverName ?? 'waiting for a server', ...(serverName ? {} : { role: 'dim' as const }) },
          state ? { text: state, role: STATE_ROLE[state] } : { text: '' },
          { text: m.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '' },
          { text: m.spec?.version ?? '' },
          { text: '', sort: created ?? '', live: (now) => age(created, now) },
        ],
      };
    },
    eventDirty: (r, ctx) => (ctx.progress.changedBy(r).length ? 'all' : []),
    actions: opts.actions,
  };
}

function openServer(view: ListView<Machine>, ctx: ConsoleContext): Action {
  const server = () => (view.selected ? serverOfMachine(ctx.store, view.selected) : undefined);
  return {
    key: 'enter',
    label: 'server',
    help: "open the machine's server",
    disabled: () => (!view.selected ? 'no machine selected' : !server() ? 'no server claimed yet' : undefined),
    run: () => ctx.push(new ServerPage(ctx, server()!)),
  };
}

export function machinesView(ctx: ConsoleContext): ListView<Machine> {
  return new ListView(
    machinesSpec({
      name: 'machines',
      actions: (view) => [openServer(view, ctx), editAction(ctx, () => view.selected), yamlAction(ctx, () => view.selected)],
    }),
    ctx,
  );
}

/** A cluster's page: its machines, their servers and states; scale, client configs, delete. */
export function clusterPage(ctx: ConsoleContext, name: string, namespace: string): ListView<Machine> {
  const cluster = () => ctx.store.get<Cluster>('Cluster', name, namespace);
  const gone = () => (cluster() ? undefined : 'the cluster was deleted');
  const view = new ListView(
    machinesSpec({
      name: `cluster ${name}`,
      scope: (m) => m.spec?.clusterName === name && (m.metadata.namespace ?? 'default') === namespace,
      title: () => clusterTitle(ctx, cluster()),
      actions: (v) => {
        const role = () => (v.selected && isControlPlane(v.selected) ? 'controlplane' : 'worker');
        const roleName = () => (role() === 'controlplane' ? 'control plane' : 'worker');
        return [
          openServer(v, ctx),
          { key: '+', label: `add ${roleName()}`, help: 'scale up the role of the selected machine (workers when none)', disabled: gone, run: () => scaleCluster(ctx, cluster()!, role(), 1) },
          { key: '-', label: `remove ${roleName()}`, help: 'scale down the role of the selected machine (asks first)', disabled: gone, run: () => scaleCluster(ctx, cluster()!, role(), -1) },
          { key: 'T', label: 'talosconfig', help: 'save a talosconfig for talosctl to a file', disabled: gone, run: () => saveClientConfig(ctx, cluster()!, 'talosconfig') },
          { key: 'K', label: 'kubeconfig', help: 'save a kubeconfig for kubectl to a file', disabled: gone, run: () => saveClientConfig(ctx, cluster()!, 'kubeconfig') },
          editAction(ctx, () => cluster()),
          yamlAction(ctx, () => cluster()),
          { key: 'C-d', label: 'delete', help: 'delete the cluster (asks first, counting machines and servers)', danger: true, disabled: gone, run: () => deleteCluster(ctx, cluster()!) },
        ];
      },
    }),
    ctx,
  );
  return view;
}

function clusterTitle(ctx: ConsoleContext, c: Cluster | undefined): string {
  const t = ctx.theme;
  if (!c) return t.fg('err', 'deleted');
  const s = summarise(ctx.store, c);
  const cp = readyCell(s.cp);
  const w = readyCell(s.workers);
  return [
    t.fg(PHASE_ROLE[s.phase] ?? 'text', s.phase),
    `cp ${t.fg(cp.role, cp.text)}`,
    `workers ${t.fg(w.role, w.text)}`,
    s.endpoint ? t.fg('dim', safe(s.endpoint)) : '',
  ].filter(Boolean).join('  ');
}

export { createCluster };
