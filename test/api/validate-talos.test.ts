import { describe, expect, it } from 'vitest';
import type { Secret, TalosConfig, TalosConfigTemplate, TalosControlPlane } from '../../src/api/index.js';
import { REDACTED } from '../../src/api/index.js';
import { refused, valid, warnings } from './helpers.js';

const BOOT = 'bootstrap.cluster.x-k8s.io/v1alpha3';
const CP = 'controlplane.cluster.x-k8s.io/v1alpha3';

describe('TalosConfig', () => {
  const tc = (spec: unknown) => ({ apiVersion: BOOT, kind: 'TalosConfig', metadata: { name: 'rack1-cp-x' }, spec });

  it('takes generateType, talosVersion, both patch kinds and the hostname source', () => {
    const c = valid<TalosConfig>(
      tc({
        generateType: 'controlplane',
        talosVersion: 'v1.13',
        configPatches: [{ op: 'add', path: '/machine/install/disk', value: '/dev/nvme0n1' }],
        strategicPatches: ['machine:\n  network:\n    nameservers: [10.0.0.1]\n'],
        hostname: { source: 'MachineName' },
      }),
    );
    expect(c.metadata.namespace).toBe('default');
    expect(c.spec!.hostname).toEqual({ source: 'MachineName' });
  });

  it.each(['init', 'controlplane', 'worker', 'join'])('accepts generateType %s', (t) => {
    expect(valid<TalosConfig>(tc({ generateType: t })).spec!.generateType).toBe(t);
  });

  it('checks generateType, talosVersion and the hostname source', () => {
    expect(refused(tc({}))).toEqual(['spec.generateType: required field is missing']);
    expect(refused(tc({ generateType: 'controlPlane' }))[0]).toBe(
      'spec.generateType: unsupported value "controlPlane"; expected one of "init", "controlplane", "worker", "join", "none"',
    );
    expect(refused(tc({ generateType: 'worker', talosVersion: 'latest' }))[0]).toMatch(/^spec.talosVersion: invalid value "latest"/);
    expect(refused(tc({ generateType: 'worker', hostname: { source: 'Random' } }))[0]).toMatch(/^spec.hostname.source: unsupported value/);
  });

  it('needs data for generateType none, and warns when data would be ignored', () => {
    expect(refused(tc({ generateType: 'none' }))).toEqual(['spec.data: required when generateType is "none"']);
    expect(valid<TalosConfig>(tc({ generateType: 'none', data: 'version: v1alpha1\n' })).spec!.data).toBe('version: v1alpha1\n');
    expect(warnings(tc({ generateType: 'worker', data: 'x' }))).toEqual(['spec.data: ignored unless generateType is "none"']);
  });

  it('validates the provider status', () => {
    const status = { ready: true, dataSecretName: 'rack1-cp-x-bootstrap-data', observedGeneration: 2, conditions: [] };
    expect(valid<TalosConfig>({ ...tc({ generateType: 'worker' }), status }).status).toEqual(status);
    expect(refused({ ...tc({ generateType: 'worker' }), status: { ready: 1 } })).toEqual(['status.ready: expected a boolean (true or false), got number 1']);
  });
});

describe('TalosConfigTemplate', () => {
  it('wraps a TalosConfigSpec and checks it at its own path', () => {
    const t = valid<TalosConfigTemplate>({ apiVersion: BOOT, kind: 'TalosConfigTemplate', metadata: { name: 'w' }, spec: { template: { spec: { generateType: 'join', talosVersion: 'v1.13' } } } });
    expect(t.spec!.template.spec.generateType).toBe('join');
    expect(refused({ apiVersion: BOOT, kind: 'TalosConfigTemplate', metadata: { name: 'w' }, spec: { template: { spec: { generateType: 'joiner' } } } })[0]).toMatch(
      /^spec.template.spec.generateType: unsupported value "joiner"/,
    );
    expect(refused({ apiVersion: BOOT, kind: 'TalosConfigTemplate', metadata: { name: 'w' }, spec: { template: {} } })).toEqual([
      'spec.template.spec: required field is missing',
    ]);
  });
});

describe('TalosControlPlane', () => {
  const tcp = (spec: Record<string, unknown>) => ({
    apiVersion: CP,
    kind: 'TalosControlPlane',
    metadata: { name: 'rack1-cp' },
    spec: {
      infrastructureTemplate: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1alpha3', kind: 'MetalMachineTemplate', name: 'rack1-cp' },
      controlPlaneConfig: { controlplane: { generateType: 'controlplane', talosVersion: 'v1.13' } },
      ...spec,
    },
  });

  it('applies CACPPT\'s defaults: one replica, v-prefixed version, rolling update with maxSurge 1', () => {
    const c = valid<TalosControlPlane>(tcp({ version: '1.33.0' }));
    expect(c.spec!.replicas).toBe(1);
    expect(c.spec!.version).toBe('v1.33.0');
    expect(c.spec!.rolloutStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } });
    expect(valid<TalosControlPlane>(tcp({ version: 'v1.33.0', replicas: 3, rolloutStrategy: { type: 'OnDelete' } })).spec!.rolloutStrategy).toEqual({ type: 'OnDelete' });
  });

  it('requires version, infrastructureTemplate and the controlplane config', () => {
    expect(refused({ apiVersion: CP, kind: 'TalosControlPlane', metadata: { name: 'x' }, spec: { controlPlaneConfig: {} } })).toEqual([
      'spec.version: required field is missing',
      'spec.infrastructureTemplate: required field is missing',
      'spec.controlPlaneConfig.controlplane: required field is missing',
    ]);
    expect(refused(tcp({ version: 'v1.33' }))).toEqual(['spec.version: invalid value "v1.33": expected a Kubernetes version such as v1.33.0']);
  });

  it('warns about the deprecated init config and a worker-type control plane config', () => {
    const w = warnings(
      tcp({ version: 'v1.33.0', controlPlaneConfig: { controlplane: { generateType: 'join' }, init: { generateType: 'init' } } }),
    );
    expect(w).toEqual([
      'spec.controlPlaneConfig.controlplane.generateType: a control plane normally uses "controlplane"',
      'spec.controlPlaneConfig.init: deprecated since CACPPT v0.4: every control plane node uses "controlplane"',
    ]);
  });

  it('validates the status', () => {
    const status = { ready: true, initialized: true, bootstrapped: true, replicas: 3, readyReplicas: 3, selector: 'cluster.x-k8s.io/cluster-name=rack1' };
    expect(valid<TalosControlPlane>({ ...tcp({ version: 'v1.33.0' }), status }).status).toEqual(status);
  });
});

describe('Secret', () => {
  const secret = (body: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'abc-bmc' }, ...body });

  it('folds stringData into base64 data, defaults type Opaque and namespace default', () => {
    const s = valid<Secret>(secret({ data: { user: Buffer.from('admin').toString('base64') }, stringData: { pass: 'sécret' } }));
    expect(s).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'abc-bmc', namespace: 'default' },
      data: { user: 'YWRtaW4=', pass: Buffer.from('sécret', 'utf8').toString('base64') },
      type: 'Opaque',
    });
  });

  it('lets stringData win over data for the same key, as Kubernetes does', () => {
    expect(valid<Secret>(secret({ data: { value: 'b2xk' }, stringData: { value: 'new' } })).data).toEqual({ value: 'bmV3' });
  });

  it('refuses data that is not base64, bad keys, and the redaction marker', () => {
    expect(refused(secret({ data: { value: 'not base64!' } }))).toEqual(['data[value]: invalid value "not base64!": expected base64 data (use stringData for plain text)']);
    expect(refused(secret({ stringData: { 'bad/key': 'x' } }))[0]).toMatch(/^stringData\[bad\/key\]: invalid key/);
    const marked = secret({ data: { pass: REDACTED, user: 'YQ==' } });
    const before = structuredClone(marked);
    expect(refused(marked)).toEqual([`data[pass]: is the redaction marker ${REDACTED}, not a value; give the real value or leave the field out`]);
    expect(marked).toEqual(before);
    expect(refused(secret({ spec: {} }))).toEqual(['spec: unknown field']);
  });
});
