/**
 * Sidero's own sample manifests and cluster template: parse -> validate -> export -> parse again gives the
 * same objects, and what Metalbox makes of them is what Sidero and Cluster API would.
 */
import { describe, expect, it } from 'vitest';
import type { Environment, MachineDeployment, Resource, Server, ServerClass, TalosControlPlane } from '../../src/api/index.js';
import { exportYaml, parseManifests, resourcesToYaml, serversOfClass, toExportForm } from '../../src/api/index.js';
import { fillTemplate, fixture } from './helpers.js';

function load(text: string): { objects: Resource[]; warnings: string[] } {
  const r = parseManifests(text);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.document} ${e.path}: ${e.message}`).join('\n'));
  return { objects: r.resources.map((x) => x.object), warnings: r.warnings.map((w) => `${w.path}: ${w.message}`) };
}

/** parse -> validate -> export -> parse again; the objects must come back equal. */
function roundTrip(text: string): Resource[] {
  const first = load(text).objects;
  const exported = exportYaml(first, { showSecrets: true });
  const second = load(exported);
  expect(second.warnings).toEqual([]);
  expect(second.objects).toEqual(first.map((o) => toExportForm(o, { showSecrets: true })));
  // `get -o yaml` output re-applied gives the same objects too.
  expect(load(resourcesToYaml(first)).objects).toEqual(first);
  // And exporting the second time changes nothing: the export form is a fixed point.
  expect(exportYaml(second.objects, { showSecrets: true })).toBe(exported);
  return first;
}

describe("Sidero's sample manifests", () => {
  it('a Server with full hardware round-trips unchanged', () => {
    const [s] = roundTrip(fixture('metal_v1alpha2_server.yaml')) as [Server];
    expect(s.metadata.labels).toEqual({ 'common-label': 'true', zone: 'east', environment: 'test' });
    expect(s.spec!.hardware!.storage!.devices![0]!.size).toBe(1199101181952);
    expect(s.spec!.hardware!.network!.interfaces![1]!.mac).toBe('40:8d:5c:86:5a:14');
    expect(s.spec!.configPatches![0]!.value).toEqual({ name: 'custom', urls: ['http://192.168.1.199/assets/cilium.yaml'] });
  });

  it('a ServerClass with selector and list-shaped qualifiers is normalised and then round-trips', () => {
    const text = fixture('metal_v1alpha2_serverclass.yaml');
    expect(load(text).warnings).toEqual([expect.stringMatching(/^spec.qualifiers: a list of hardware entries was read as qualifiers.hardware/)]);
    const [c] = roundTrip(text) as [ServerClass];
    expect(c.spec!.qualifiers.hardware).toHaveLength(1);
    expect(c.spec!.selector.matchExpressions).toHaveLength(2);
    // The sample class selects the sample server once it is accepted.
    const [s] = load(fixture('metal_v1alpha2_server.yaml')).objects as [Server];
    expect(serversOfClass(c, [s])).toEqual([]);
    const accepted = { ...s, spec: { ...s.spec!, accepted: true } };
    expect(serversOfClass(c, [accepted]).map((x) => x.metadata.name)).toEqual([s.metadata.name]);
  });

  it('an Environment round-trips with its args in order', () => {
    const [e] = roundTrip(fixture('metal_v1alpha2_environment.yaml')) as [Environment];
    expect(e.spec!.kernel!.args).toHaveLength(16);
    expect(e.spec!.kernel!.args![13]).toBe('slab_nomerge=');
  });

  it.each(['metal_v1alpha1_environment.yaml', 'metal_v1alpha1_server.yaml', 'metal_v1alpha1_serverclass.yaml'])(
    'v1alpha1 sample %s converts, then round-trips as v1alpha2',
    (name) => {
      const objects = roundTrip(fixture(name));
      expect(objects.every((o) => o.apiVersion === 'metal.sidero.dev/v1alpha2')).toBe(true);
    },
  );
});

describe("Sidero's cluster template", () => {
  it('with its variables filled in, round-trips and gets Cluster API\'s defaults', () => {
    const objects = roundTrip(fillTemplate(fixture('cluster-template.yaml')));
    expect(objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'Cluster/default/rack1',
      'MetalCluster/default/rack1',
      'MetalMachineTemplate/default/rack1-cp',
      'TalosControlPlane/default/rack1-cp',
      'TalosConfigTemplate/default/rack1-workers',
      'MachineDeployment/default/rack1-workers',
      'MetalMachineTemplate/default/rack1-workers',
    ]);
    const tcp = objects[3] as TalosControlPlane;
    expect(tcp.spec!.replicas).toBe(3);
    expect(tcp.spec!.rolloutStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } });
    const md = objects[5] as MachineDeployment;
    expect(md.spec!.replicas).toBe(5);
    expect(md.spec!.selector.matchLabels).toEqual({ 'cluster.x-k8s.io/cluster-name': 'rack1', 'cluster.x-k8s.io/deployment-name': 'rack1-workers' });
  });

  it('left unfilled, is refused with the fields that need values', () => {
    const r = parseManifests(fixture('cluster-template.yaml'));
    expect(r.ok).toBe(false);
    const problems = r.ok ? [] : r.errors.map((e) => `${e.document} ${e.path}`);
    expect(problems).toContain('1 metadata.name');
    expect(problems).toContain('2 spec.controlPlaneEndpoint.port');
    expect(problems).toContain('4 spec.replicas');
  });
});
