import { describe, expect, it } from 'vitest';
import { KINDS, findKind, kindInfo, resolveKind } from '../../src/api/index.js';
import { isMetalboxError } from '../../src/util/errors.js';

describe('kind resolution, as kubectl accepts names', () => {
  it.each([
    ['servers', 'Server'],
    ['server', 'Server'],
    ['Server', 'Server'],
    ['SERVERS', 'Server'],
    ['servers.metal.sidero.dev', 'Server'],
    ['Server.metal.sidero.dev', 'Server'],
    ['servers.v1alpha2.metal.sidero.dev', 'Server'],
    ['serverclasses', 'ServerClass'],
    ['serverclass', 'ServerClass'],
    ['sc', 'ServerClass'],
    ['SC', 'ServerClass'],
    ['environments', 'Environment'],
    ['environment', 'Environment'],
    ['env', 'Environment'],
    ['metalclusters', 'MetalCluster'],
    ['metalmachine', 'MetalMachine'],
    ['metalmachinetemplates', 'MetalMachineTemplate'],
    ['serverbindings', 'ServerBinding'],
    ['serverbindings.infrastructure.cluster.x-k8s.io', 'ServerBinding'],
    ['clusters', 'Cluster'],
    ['cluster', 'Cluster'],
    ['cl', 'Cluster'],
    ['clusters.cluster.x-k8s.io', 'Cluster'],
    ['machines', 'Machine'],
    ['ma', 'Machine'],
    ['machinedeployments', 'MachineDeployment'],
    ['MachineDeployment', 'MachineDeployment'],
    ['md', 'MachineDeployment'],
    ['taloscontrolplanes', 'TalosControlPlane'],
    ['tcp', 'TalosControlPlane'],
    ['taloscontrolplanes.controlplane.cluster.x-k8s.io', 'TalosControlPlane'],
    ['talosconfigs', 'TalosConfig'],
    ['talosconfig', 'TalosConfig'],
    ['talosconfigtemplates', 'TalosConfigTemplate'],
    ['secrets', 'Secret'],
    ['secret', 'Secret'],
    [' Secret ', 'Secret'],
  ])('%j is %s', (text, kind) => {
    expect(resolveKind(text).kind).toBe(kind);
  });

  it('refuses an unknown name with KIND_UNKNOWN and lists the kinds', () => {
    let caught: unknown;
    try {
      resolveKind('pods');
    } catch (e) {
      caught = e;
    }
    expect(isMetalboxError(caught, 'KIND_UNKNOWN')).toBe(true);
    const err = caught as { message: string; hint: string };
    expect(err.message).toContain('"pods"');
    for (const name of ['servers', 'serverclasses (sc)', 'environments (env)', 'taloscontrolplanes (tcp)', 'secrets']) {
      expect(err.hint).toContain(name);
    }
    expect(findKind('pods')).toBeUndefined();
    expect(() => resolveKind('severs')).toThrow('unknown kind "severs" (did you mean "servers"?)');
    expect(() => resolveKind('talosconfgs')).toThrow('(did you mean "talosconfigs"?)');
    expect(findKind('servers.wrong.group')).toBeUndefined();
  });

  it('has exactly the fourteen kinds with Sidero and Cluster API apiVersions and scopes', () => {
    const table = Object.fromEntries(KINDS.map((k) => [k.kind, `${k.apiVersion} ${k.namespaced ? 'namespaced' : 'cluster'}`]));
    expect(table).toEqual({
      Server: 'metal.sidero.dev/v1alpha2 cluster',
      ServerClass: 'metal.sidero.dev/v1alpha2 cluster',
      Environment: 'metal.sidero.dev/v1alpha2 cluster',
      MetalCluster: 'infrastructure.cluster.x-k8s.io/v1alpha3 namespaced',
      MetalMachine: 'infrastructure.cluster.x-k8s.io/v1alpha3 namespaced',
      MetalMachineTemplate: 'infrastructure.cluster.x-k8s.io/v1alpha3 namespaced',
      ServerBinding: 'infrastructure.cluster.x-k8s.io/v1alpha3 cluster',
      Cluster: 'cluster.x-k8s.io/v1beta1 namespaced',
      Machine: 'cluster.x-k8s.io/v1beta1 namespaced',
      MachineDeployment: 'cluster.x-k8s.io/v1beta1 namespaced',
      TalosControlPlane: 'controlplane.cluster.x-k8s.io/v1alpha3 namespaced',
      TalosConfig: 'bootstrap.cluster.x-k8s.io/v1alpha3 namespaced',
      TalosConfigTemplate: 'bootstrap.cluster.x-k8s.io/v1alpha3 namespaced',
      Secret: 'v1 namespaced',
    });
  });

  it('gives every name to one kind only', () => {
    const seen = new Map<string, string>();
    for (const k of KINDS) {
      for (const n of [k.plural, k.singular, ...k.shortNames]) {
        expect(seen.get(n), `${n} is claimed by ${seen.get(n)} and ${k.kind}`).toBeUndefined();
        seen.set(n, k.kind);
      }
    }
  });

  it('finds a kind by its exact kind field only', () => {
    expect(kindInfo('Server')?.plural).toBe('servers');
    expect(kindInfo('server')).toBeUndefined();
  });
});
