/**
 * A cluster in a line: phase, control planes and workers (ready of wanted), endpoint and versions, read
 * from the Cluster API objects that make it up.
 */
import type { Cluster, Machine, MachineDeployment, MetalMachine, TalosControlPlane } from '../../api/index.js';
import type { Store } from '../../store/index.js';
import { CONTROL_PLANE_LABEL } from '../model/relations.js';
import type { Role } from '../theme.js';

export interface ClusterSummary {
  name: string;
  namespace: string;
  phase: string;
  endpoint: string;
  talos: string;
  kubernetes: string;
  cp: { want: number; ready: number };
  workers: { want: number; ready: number };
  machines: Machine[];
}

export function controlPlaneOf(store: Store, c: Cluster): TalosControlPlane | undefined {
  const ref = c.spec?.controlPlaneRef?.name;
  return ref ? store.get<TalosControlPlane>('TalosControlPlane', ref, c.metadata.namespace ?? 'default') : undefined;
}

export function deploymentsOf(store: Store, c: Cluster): MachineDeployment[] {
  return store.list<MachineDeployment>('MachineDeployment', { namespace: c.metadata.namespace ?? 'default' }).filter((d) => d.spec?.clusterName === c.metadata.name);
}

export function machinesOf(store: Store, c: Cluster): Machine[] {
  return store.list<Machine>('Machine', { namespace: c.metadata.namespace ?? 'default' }).filter((m) => m.spec?.clusterName === c.metadata.name);
}

export const isControlPlane = (m: Machine) => m.metadata.labels?.[CONTROL_PLANE_LABEL] !== undefined;

/** The server behind a machine: its MetalMachine's serverRef, or the providerID. */
export function serverOfMachine(store: Store, m: Machine): string | undefined {
  const ref = m.spec?.infrastructureRef;
  const mm = ref?.name ? store.get<MetalMachine>('MetalMachine', ref.name, m.metadata.namespace ?? 'default') : undefined;
  return mm?.spec?.serverRef?.name ?? m.spec?.providerID?.replace(/^sidero:\/\//, '') ?? undefined;
}

export function summarise(store: Store, c: Cluster): ClusterSummary {
  const tcp = controlPlaneOf(store, c);
  const mds = deploymentsOf(store, c);
  const machines = machinesOf(store, c);
  // Ready as the controllers count it (TalosControlPlane and MachineDeployment readyReplicas): Talos installed
  // and running. Counted from the machines themselves, so control planes and workers always agree.
  const running = (m: Machine) => m.status?.phase === 'Running';
  const cps = machines.filter(isControlPlane);
  const ws = machines.filter((m) => !isControlPlane(m));
  const ep = c.spec?.controlPlaneEndpoint;
  const cfg = tcp?.spec?.controlPlaneConfig?.controlplane as { talosVersion?: string } | undefined;
  return {
    name: c.metadata.name,
    namespace: c.metadata.namespace ?? 'default',
    phase: c.metadata.deletionTimestamp ? 'Deleting' : (c.status?.phase ?? 'Pending'),
    endpoint: ep?.host ? `${ep.host}:${ep.port ?? 6443}` : '',
    talos: cfg?.talosVersion ?? '',
    kubernetes: tcp?.spec?.version ?? '',
    cp: { want: tcp?.spec?.replicas ?? 1, ready: cps.filter(running).length },
    workers: { want: mds.reduce((n, d) => n + (d.spec?.replicas ?? 0), 0), ready: ws.filter(running).length },
    machines,
  };
}

export const PHASE_ROLE: Record<string, Role> = {
  Pending: 'warn',
  Provisioning: 'busy',
  Provisioned: 'ok',
  Running: 'ok',
  Deleting: 'err',
  Deleted: 'dim',
  Failed: 'err',
  Unknown: 'warn',
};

/** `2/3` with the role saying whether everything wanted is ready. */
export function readyCell(r: { want: number; ready: number }): { text: string; role: Role; sort: number } {
  return { text: `${r.ready}/${r.want}`, role: r.ready >= r.want ? 'ok' : r.ready ? 'warn' : 'dim', sort: r.want };
}
