import { describe, expect, it } from 'vitest';
import type { Cluster, Machine, MachineDeployment, MetalCluster, MetalMachine, MetalMachineTemplate, ServerBinding } from '../../src/api/index.js';
import { CLUSTER_NAME_LABEL, DEPLOYMENT_NAME_LABEL } from '../../src/api/index.js';
import { refused, valid, warnings } from './helpers.js';

const INFRA = 'infrastructure.cluster.x-k8s.io/v1alpha3';
const CAPI = 'cluster.x-k8s.io/v1beta1';
const classRef = { apiVersion: 'metal.sidero.dev/v1alpha2', kind: 'ServerClass', name: 'workers' };

describe('MetalCluster', () => {
  it('defaults the namespace and takes the control plane endpoint', () => {
    const mc = valid<MetalCluster>({ apiVersion: INFRA, kind: 'MetalCluster', metadata: { name: 'rack1' }, spec: { controlPlaneEndpoint: { host: '10.5.0.2', port: 6443 } } });
    expect(mc.metadata.namespace).toBe('default');
    expect(mc.spec!.controlPlaneEndpoint).toEqual({ host: '10.5.0.2', port: 6443 });
  });

  it('refuses an endpoint without a port and a port out of range', () => {
    expect(refused({ apiVersion: INFRA, kind: 'MetalCluster', metadata: { name: 'r' }, spec: { controlPlaneEndpoint: { host: 'h' } } })).toEqual([
      'spec.controlPlaneEndpoint.port: required field is missing',
    ]);
    expect(refused({ apiVersion: INFRA, kind: 'MetalCluster', metadata: { name: 'r' }, spec: { controlPlaneEndpoint: { host: 'h', port: 70000 } } })[0]).toMatch(/out of range/);
  });

  it('refuses the old CAPS apiVersion with the one to use', () => {
    expect(refused({ apiVersion: 'infrastructure.cluster.x-k8s.io/v1alpha2', kind: 'MetalCluster', metadata: { name: 'r' } })).toEqual([
      `apiVersion: "infrastructure.cluster.x-k8s.io/v1alpha2" is not served for MetalCluster; use ${INFRA}`,
    ]);
  });
});

describe('MetalMachine and MetalMachineTemplate', () => {
  it('takes a serverClassRef or a pinned serverRef', () => {
    const mm = valid<MetalMachine>({ apiVersion: INFRA, kind: 'MetalMachine', metadata: { name: 'm', namespace: 'prod' }, spec: { serverRef: { kind: 'Server', name: 'abc' } } });
    expect(mm.metadata.namespace).toBe('prod');
    expect(mm.spec!.serverRef!.name).toBe('abc');
    const t = valid<MetalMachineTemplate>({ apiVersion: INFRA, kind: 'MetalMachineTemplate', metadata: { name: 't' }, spec: { template: { spec: { serverClassRef: classRef } } } });
    expect(t.spec!.template.spec.serverClassRef).toEqual(classRef);
  });

  it('requires a template and refuses unknown reference fields', () => {
    expect(refused({ apiVersion: INFRA, kind: 'MetalMachineTemplate', metadata: { name: 't' }, spec: {} })).toEqual(['spec.template: required field is missing']);
    expect(refused({ apiVersion: INFRA, kind: 'MetalMachine', metadata: { name: 'm' }, spec: { serverClassRef: { nam: 'x' } } })).toEqual([
      'spec.serverClassRef.nam: unknown field (did you mean "name"?)',
    ]);
  });

  it('validates the status the controller writes', () => {
    const status = { ready: true, addresses: [{ type: 'InternalIP', address: '10.0.0.9' }], conditions: [{ type: 'TalosInstalled', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }] };
    expect(valid<MetalMachine>({ apiVersion: INFRA, kind: 'MetalMachine', metadata: { name: 'm' }, spec: {}, status }).status!.ready).toBe(true);
    expect(refused({ apiVersion: INFRA, kind: 'MetalMachine', metadata: { name: 'm' }, status: { addresses: [{ type: 'Internal', address: 'x' }] } })[0]).toMatch(
      /^status.addresses\[0\].type: unsupported value "Internal"/,
    );
  });
});

describe('ServerBinding', () => {
  const sb = (spec: unknown) => ({ apiVersion: INFRA, kind: 'ServerBinding', metadata: { name: 'abc' }, spec });

  it('is cluster-scoped and requires the MetalMachine it binds', () => {
    const b = valid<ServerBinding>(sb({ metalMachineRef: { kind: 'MetalMachine', namespace: 'default', name: 'm', uid: 'u' }, serverClassRef: classRef, addresses: ['10.0.0.9'], hostname: 'n1' }));
    expect(b.metadata.namespace).toBeUndefined();
    expect(b.spec!.addresses).toEqual(['10.0.0.9']);
    expect(refused(sb({ serverClassRef: classRef }))).toEqual(['spec.metalMachineRef: required field is missing']);
    expect(refused({ apiVersion: INFRA, kind: 'ServerBinding', metadata: { name: 'abc' } })).toEqual(['spec: required field is missing']);
  });
});

describe('Cluster', () => {
  const cluster = (spec: unknown, ns?: string) => ({ apiVersion: CAPI, kind: 'Cluster', metadata: { name: 'rack1', ...(ns ? { namespace: ns } : {}) }, spec });

  it('defaults the namespaces of its references to its own', () => {
    const c = valid<Cluster>(
      cluster(
        {
          clusterNetwork: { pods: { cidrBlocks: ['10.244.0.0/16'] }, services: { cidrBlocks: ['10.96.0.0/12'] }, serviceDomain: 'cluster.local', apiServerPort: 6443 },
          controlPlaneEndpoint: { host: '10.5.0.2', port: 6443 },
          infrastructureRef: { apiVersion: INFRA, kind: 'MetalCluster', name: 'rack1' },
          controlPlaneRef: { apiVersion: 'controlplane.cluster.x-k8s.io/v1alpha3', kind: 'TalosControlPlane', name: 'rack1-cp', namespace: 'other' },
          paused: true,
        },
        'prod',
      ),
    );
    expect(c.spec!.infrastructureRef!.namespace).toBe('prod');
    expect(c.spec!.controlPlaneRef!.namespace).toBe('other');
    expect(c.spec!.clusterNetwork!.serviceDomain).toBe('cluster.local');
    expect(c.spec!.paused).toBe(true);
  });

  it('checks CIDRs and refuses ClusterClass topologies', () => {
    expect(refused(cluster({ clusterNetwork: { pods: { cidrBlocks: ['10.244.0.0/33', 'fd00::/64'] } } }))).toEqual([
      'spec.clusterNetwork.pods.cidrBlocks[0]: invalid value "10.244.0.0/33": expected a CIDR such as 10.244.0.0/16',
    ]);
    expect(refused(cluster({ clusterNetwork: { services: {} } }))).toEqual(['spec.clusterNetwork.services.cidrBlocks: required field is missing']);
    expect(refused(cluster({ topology: { class: 'x', version: 'v1.33.0' } }))[0]).toMatch(/^spec.topology: not supported by Metalbox: ClusterClass/);
  });

  it('refuses older Cluster API versions with the one to use', () => {
    expect(refused({ apiVersion: 'cluster.x-k8s.io/v1alpha4', kind: 'Cluster', metadata: { name: 'c' } })[0]).toMatch(/use cluster.x-k8s.io\/v1beta1$/);
  });
});

describe('Machine', () => {
  const machine = (spec: unknown) => ({ apiVersion: CAPI, kind: 'Machine', metadata: { name: 'rack1-cp-abcde' }, spec });
  const base = {
    clusterName: 'rack1',
    bootstrap: { configRef: { apiVersion: 'bootstrap.cluster.x-k8s.io/v1alpha3', kind: 'TalosConfig', name: 'rack1-cp-x' } },
    infrastructureRef: { apiVersion: INFRA, kind: 'MetalMachine', name: 'rack1-cp-y' },
  };

  it('applies Cluster API\'s defaults: cluster label, ref namespaces, v-prefixed version, node deletion timeout', () => {
    const m = valid<Machine>(machine({ ...base, version: '1.33.0', failureDomain: 'rack-a', providerID: 'sidero://abc', nodeDrainTimeout: '5m' }));
    expect(m.metadata.labels).toEqual({ [CLUSTER_NAME_LABEL]: 'rack1' });
    expect(m.spec!.bootstrap.configRef!.namespace).toBe('default');
    expect(m.spec!.infrastructureRef.namespace).toBe('default');
    expect(m.spec!.version).toBe('v1.33.0');
    expect(m.spec!.nodeDeletionTimeout).toBe('10s');
    expect(m.spec!.nodeDrainTimeout).toBe('5m');
  });

  it('takes bootstrap data from a Secret instead of a config', () => {
    expect(valid<Machine>(machine({ ...base, bootstrap: { dataSecretName: 'rack1-cp-x' } })).spec!.bootstrap.dataSecretName).toBe('rack1-cp-x');
  });

  it('requires clusterName, infrastructureRef and a bootstrap source; checks durations and the version', () => {
    expect(refused(machine({ bootstrap: {} }))).toEqual(['spec.clusterName: required field is missing', 'spec.infrastructureRef: required field is missing']);
    expect(refused(machine({ ...base, bootstrap: {} }))).toEqual(['spec.bootstrap: expected either bootstrap.configRef or bootstrap.dataSecretName']);
    expect(refused(machine({ ...base, nodeDrainTimeout: '5 minutes' }))[0]).toMatch(/^spec.nodeDrainTimeout: invalid value "5 minutes": expected a duration/);
    expect(refused(machine({ ...base, version: 'latest' }))).toEqual(['spec.version: invalid value "vlatest": expected a Kubernetes version such as v1.33.0']);
    expect(refused({ apiVersion: CAPI, kind: 'Machine', metadata: { name: 'm' } })).toEqual(['spec: required field is missing']);
  });
});

describe('MachineDeployment', () => {
  const md = (spec: unknown, labels?: Record<string, string>) => ({
    apiVersion: CAPI,
    kind: 'MachineDeployment',
    metadata: { name: 'rack1-workers', ...(labels ? { labels } : {}) },
    spec,
  });
  const template = {
    spec: {
      clusterName: 'rack1',
      version: 'v1.33.0',
      bootstrap: { configRef: { apiVersion: 'bootstrap.cluster.x-k8s.io/v1alpha3', kind: 'TalosConfigTemplate', name: 'rack1-workers' } },
      infrastructureRef: { apiVersion: INFRA, kind: 'MetalMachineTemplate', name: 'rack1-workers' },
    },
  };

  it('applies Cluster API\'s defaults: replicas, selector and template labels, strategy, timings', () => {
    const d = valid<MachineDeployment>(md({ clusterName: 'rack1', selector: { matchLabels: null }, template }, { team: 'a' }));
    const own = { [CLUSTER_NAME_LABEL]: 'rack1', [DEPLOYMENT_NAME_LABEL]: 'rack1-workers' };
    expect(d.metadata.labels).toEqual({ team: 'a', [CLUSTER_NAME_LABEL]: 'rack1' });
    expect(d.spec!.replicas).toBe(1);
    expect(d.spec!.selector).toEqual({ matchLabels: own });
    expect(d.spec!.template.metadata).toEqual({ labels: own });
    expect(d.spec!.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
    expect([d.spec!.minReadySeconds, d.spec!.revisionHistoryLimit, d.spec!.progressDeadlineSeconds]).toEqual([0, 1, 600]);
    expect(d.spec!.template.spec.bootstrap.configRef!.namespace).toBe('default');
  });

  it('keeps what the user set (OnDelete, percentages, replicas 0)', () => {
    const d = valid<MachineDeployment>(
      md({ clusterName: 'rack1', replicas: 0, selector: {}, template, strategy: { type: 'OnDelete', remediation: { maxInFlight: '20%' } } }),
    );
    expect(d.spec!.replicas).toBe(0);
    expect(d.spec!.strategy).toEqual({ type: 'OnDelete', remediation: { maxInFlight: '20%' } });
  });

  it('refuses a template for another cluster, a selector the template cannot match, and wrong types', () => {
    expect(refused(md({ clusterName: 'other', selector: {}, template }))).toEqual(['spec.template.spec.clusterName: must equal spec.clusterName ("other")']);
    const clash = { ...template, metadata: { labels: { tier: 'gpu' } } };
    expect(refused(md({ clusterName: 'rack1', selector: { matchLabels: { tier: 'cpu' } }, template: clash }))).toEqual([
      "spec.selector.matchLabels: must match the template's labels (tier=cpu is not among them)",
    ]);
    expect(refused(md({ clusterName: 'rack1', replicas: '3', selector: {}, template }))).toEqual(['spec.replicas: expected an integer, got string "3"']);
    expect(refused(md({ clusterName: 'rack1', selector: {}, template, strategy: { type: 'Recreate' } }))[0]).toMatch(/^spec.strategy.type: unsupported value "Recreate"/);
    expect(refused(md({ clusterName: 'rack1', template }))).toEqual(['spec.selector: required field is missing']);
  });

  it('says nothing when the input is already complete', () => {
    expect(warnings(md({ clusterName: 'rack1', selector: {}, template }))).toEqual([]);
  });
});
