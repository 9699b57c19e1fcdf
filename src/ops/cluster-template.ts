import { CLUSTER_NAME_LABEL, type Resource } from '../api/index.js';
import { MetalboxError } from '../util/errors.js';

/** The short form behind "create a cluster": what `clusterctl generate cluster` asks for with Sidero's template. */
export interface ClusterForm {
  name: string;
  namespace?: string;
  /** Control plane endpoint: `host`, `host:port` or `https://host:port` (a VIP or the first control plane). */
  endpoint: string;
  talosVersion?: string;
  kubernetesVersion?: string;
  controlPlanes: { count: number; serverClass: string };
  workers: { count: number; serverClass: string };
  /** Install disk patched into every machine's config; default /dev/sda, `''` for none. */
  installDisk?: string;
}

const INFRA = 'infrastructure.cluster.x-k8s.io/v1alpha3';

export function parseEndpoint(text: string): { host: string; port: number } {
  const t = text.trim();
  const url = /^[a-z]+:\/\//i.test(t) ? t : `https://${t.includes(':') && !t.startsWith('[') && t.split(':').length > 2 ? `[${t}]` : t}`;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new MetalboxError('USAGE', `"${text}" is not a control plane endpoint`, { hint: 'give an address like 10.0.0.10, 10.0.0.10:6443 or https://cp.example:6443' });
  }
  if (!u.hostname) throw new MetalboxError('USAGE', `"${text}" has no host`);
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : 6443 };
}

/** Sidero's cluster template with the form filled in, plus `init` for the first control plane so it bootstraps itself. */
export function clusterManifests(f: ClusterForm & { namespace: string; talosVersion: string; kubernetesVersion: string }): Resource[] {
  if (!/^[a-z0-9]([-a-z0-9]{0,50}[a-z0-9])?$/.test(f.name)) {
    throw new MetalboxError('USAGE', `"${f.name}" is not a valid cluster name`, { hint: 'use lowercase letters, digits and dashes' });
  }
  const count = (n: number, what: string, min: number) => {
    if (!Number.isInteger(n) || n < min || n > 1000) throw new MetalboxError('USAGE', `${what} must be a whole number from ${min} to 1000`);
    return n;
  };
  const ep = parseEndpoint(f.endpoint);
  const meta = (name: string) => ({ name, namespace: f.namespace, labels: { [CLUSTER_NAME_LABEL]: f.name } });
  const disk = f.installDisk ?? '/dev/sda';
  const strategicPatches = disk ? [`machine:\n  install:\n    disk: ${disk}\n`] : [];
  const talosSpec = (generateType: string) => ({ generateType, talosVersion: f.talosVersion, ...(strategicPatches.length ? { strategicPatches } : {}) });
  const classRef = (name: string) => ({ apiVersion: 'metal.sidero.dev/v1alpha2', kind: 'ServerClass', name });
  const cp = `${f.name}-cp`;
  const workers = `${f.name}-workers`;
  return [
    {
      apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', metadata: meta(f.name),
      spec: {
        clusterNetwork: { pods: { cidrBlocks: ['10.244.0.0/16'] }, services: { cidrBlocks: ['10.96.0.0/12'] } },
        infrastructureRef: { apiVersion: INFRA, kind: 'MetalCluster', name: f.name },
        controlPlaneRef: { apiVersion: 'controlplane.cluster.x-k8s.io/v1alpha3', kind: 'TalosControlPlane', name: cp },
      },
    },
    { apiVersion: INFRA, kind: 'MetalCluster', metadata: meta(f.name), spec: { controlPlaneEndpoint: ep } },
    { apiVersion: INFRA, kind: 'MetalMachineTemplate', metadata: meta(cp), spec: { template: { spec: { serverClassRef: classRef(f.controlPlanes.serverClass) } } } },
    {
      apiVersion: 'controlplane.cluster.x-k8s.io/v1alpha3', kind: 'TalosControlPlane', metadata: meta(cp),
      spec: {
        version: f.kubernetesVersion,
        replicas: count(f.controlPlanes.count, 'control planes', 1),
        infrastructureTemplate: { apiVersion: INFRA, kind: 'MetalMachineTemplate', name: cp },
        controlPlaneConfig: { init: talosSpec('init'), controlplane: talosSpec('controlplane') },
      },
    },
    { apiVersion: 'bootstrap.cluster.x-k8s.io/v1alpha3', kind: 'TalosConfigTemplate', metadata: meta(workers), spec: { template: { spec: talosSpec('join') } } },
    {
      apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'MachineDeployment', metadata: meta(workers),
      spec: {
        clusterName: f.name,
        replicas: count(f.workers.count, 'workers', 0),
        selector: { matchLabels: {} },
        template: {
          spec: {
            clusterName: f.name,
            version: f.kubernetesVersion,
            bootstrap: { configRef: { apiVersion: 'bootstrap.cluster.x-k8s.io/v1alpha3', kind: 'TalosConfigTemplate', name: workers } },
            infrastructureRef: { apiVersion: INFRA, kind: 'MetalMachineTemplate', name: workers },
          },
        },
      },
    },
    { apiVersion: INFRA, kind: 'MetalMachineTemplate', metadata: meta(workers), spec: { template: { spec: { serverClassRef: classRef(f.workers.serverClass) } } } },
  ];
}
