/** Clusters: phase, control planes and workers ready of wanted; enter opens the cluster's machines. */
import type { Cluster } from '../../api/index.js';
import { PHASE_ROLE, readyCell, summarise } from '../render/clusters.js';
import { age } from '../text.js';
import { createCluster, deleteCluster, saveClientConfig, scaleCluster } from './cluster-actions.js';
import { editAction, yamlAction } from './common-actions.js';
import { ListView, type ListSpec } from './list.js';
import { clusterPage } from './machines.js';
import type { ConsoleContext } from './view.js';

const spec: ListSpec<Cluster> = {
  name: 'clusters',
  kind: 'Cluster',
  namespaced: true,
  related: ['TalosControlPlane', 'MachineDeployment', 'Machine'],
  columns: [
    { title: 'NAME', min: 8, max: 30 },
    { title: 'PHASE', min: 8 },
    { title: 'CONTROL PLANES', align: 'right' },
    { title: 'WORKERS', align: 'right' },
    { title: 'ENDPOINT', min: 10, max: 30, flex: true, drop: 3 },
    { title: 'TALOS', drop: 2 },
    { title: 'KUBERNETES', drop: 4 },
    { title: 'NAMESPACE', drop: 1 },
    { title: 'AGE', align: 'right', drop: 5 },
  ],
  empty: 'no clusters yet: n creates one from a short form',
  row: (c, ctx) => {
    const s = summarise(ctx.store, c);
    const created = c.metadata.creationTimestamp;
    return {
      id: `${s.namespace}/${s.name}`,
      labels: c.metadata.labels ?? {},
      cells: [
        { text: s.name },
        { text: s.phase, role: PHASE_ROLE[s.phase] ?? 'text' },
        readyCell(s.cp),
        readyCell(s.workers),
        { text: s.endpoint },
        { text: s.talos },
        { text: s.kubernetes },
        { text: s.namespace, role: 'dim' },
        { text: '', sort: created ?? '', live: (now) => age(created, now) },
      ],
    };
  },
  actions: (view, ctx) => {
    const sel = () => view.selected;
    const none = () => (sel() ? undefined : 'no cluster selected');
    return [
      { key: 'enter', label: 'machines', help: "open the cluster: its machines, their servers and states", disabled: none, run: () => ctx.push(clusterPage(ctx, sel()!.metadata.name, sel()!.metadata.namespace ?? 'default')) },
      { key: 'n', label: 'new', help: 'create a cluster from a short form', run: () => createCluster(ctx) },
      { key: '+', label: 'add worker', help: 'scale workers up by one', disabled: none, run: () => scaleCluster(ctx, sel()!, 'worker', 1) },
      { key: '-', label: 'remove worker', help: 'scale workers down by one (asks first)', disabled: none, run: () => scaleCluster(ctx, sel()!, 'worker', -1) },
      { key: 'T', label: 'talosconfig', help: 'save a talosconfig for talosctl to a file', disabled: none, run: () => saveClientConfig(ctx, sel()!, 'talosconfig') },
      { key: 'K', label: 'kubeconfig', help: 'save a kubeconfig for kubectl to a file', disabled: none, run: () => saveClientConfig(ctx, sel()!, 'kubeconfig') },
      editAction(ctx, sel),
      yamlAction(ctx, sel),
      { key: 'C-d', label: 'delete', help: 'delete the cluster (asks first, counting machines and servers)', danger: true, disabled: none, run: () => deleteCluster(ctx, sel()!) },
    ];
  },
};

export function clustersView(ctx: ConsoleContext): ListView<Cluster> {
  return new ListView(spec, ctx);
}
