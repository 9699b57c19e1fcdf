import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Resource, Secret, Server, TalosConfig, TalosControlPlane } from '../../src/api/index.js';
import { exportYaml, parseManifests, REDACTED, redact, resourcesToJson, resourcesToYaml, toExportForm } from '../../src/api/index.js';
import { valid } from './helpers.js';

const stored = (r: Resource): Resource => ({
  ...r,
  metadata: {
    ...r.metadata,
    uid: '2f0c4c8e-1111-2222-3333-444455556666',
    resourceVersion: '42',
    generation: 3,
    creationTimestamp: '2026-01-02T03:04:05Z',
    ownerReferences: [{ apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Machine', name: 'm', uid: 'u' }],
    finalizers: ['metalmachine.infrastructure.cluster.x-k8s.io'],
  },
});

const server = valid<Server>({
  apiVersion: 'metal.sidero.dev/v1alpha2',
  kind: 'Server',
  metadata: { name: 'abc', labels: { zone: 'east' } },
  spec: { accepted: true, bmc: { endpoint: '10.0.0.25', user: 'admin', pass: 'hunter2' } },
  status: { ready: true, inUse: false, isClean: true, power: 'off' },
});
const secret = valid<Secret>({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'abc-bmc' }, stringData: { user: 'admin', pass: 'hunter2' } });

describe('export form', () => {
  it('strips status and store-maintained metadata, keeps labels and annotations', () => {
    const e = toExportForm(stored(server), { showSecrets: true });
    expect(e).toEqual({
      apiVersion: 'metal.sidero.dev/v1alpha2',
      kind: 'Server',
      metadata: { name: 'abc', labels: { zone: 'east' } },
      spec: server.spec,
    });
  });

  it('leaves the namespace off cluster-scoped kinds and on namespaced ones', () => {
    const withNs = { ...server, metadata: { ...server.metadata, namespace: 'default' } };
    expect(toExportForm(withNs).metadata.namespace).toBeUndefined();
    expect(toExportForm(secret).metadata.namespace).toBe('default');
  });

  it('does not change the stored object', () => {
    const s = stored(server);
    const before = structuredClone(s);
    toExportForm(s);
    expect(s).toEqual(before);
  });

  it('writes a stream that parses back to the same objects', () => {
    const text = exportYaml([stored(server), stored(secret)], { showSecrets: true });
    expect(text.split('\n---\n')).toHaveLength(2);
    const r = parseManifests(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings).toEqual([]);
    expect(r.resources.map((x) => x.object)).toEqual([toExportForm(server, { showSecrets: true }), toExportForm(secret, { showSecrets: true })]);
  });
});

describe('redaction', () => {
  it('hides the BMC password and every Secret value unless asked', () => {
    expect(redact(server).spec!.bmc!.pass).toBe(REDACTED);
    expect(redact(server).spec!.bmc!.user).toBe('admin');
    expect(redact(secret).data).toEqual({ user: REDACTED, pass: REDACTED });
    expect(redact(server, { showSecrets: true }).spec!.bmc!.pass).toBe('hunter2');
    expect(redact(secret, { showSecrets: true }).data!['pass']).toBe(Buffer.from('hunter2').toString('base64'));
    expect(server.spec!.bmc!.pass).toBe('hunter2');
  });

  it('hides the Talos credentials provider objects carry', () => {
    const tc = valid<TalosConfig>({
      apiVersion: 'bootstrap.cluster.x-k8s.io/v1alpha3',
      kind: 'TalosConfig',
      metadata: { name: 'x' },
      spec: { generateType: 'none', data: 'machine:\n  token: abc\n' },
      status: { talosConfig: 'context: x\n', ready: true },
    });
    expect(redact(tc).spec!.data).toBe(REDACTED);
    expect(redact(tc).status).toEqual({ talosConfig: REDACTED, ready: true });
    const tcp = valid<TalosControlPlane>({
      apiVersion: 'controlplane.cluster.x-k8s.io/v1alpha3',
      kind: 'TalosControlPlane',
      metadata: { name: 'cp' },
      spec: {
        version: 'v1.33.0',
        infrastructureTemplate: { name: 't' },
        controlPlaneConfig: { controlplane: { generateType: 'none', data: 'secret config' } },
      },
    });
    expect(redact(tcp).spec!.controlPlaneConfig.controlplane.data).toBe(REDACTED);
  });

  it('redacts in exports by default, and redacted YAML cannot be applied back over a secret', () => {
    const text = exportYaml([server, secret]);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain(Buffer.from('hunter2').toString('base64'));
    const r = parseManifests(text);
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.errors.map((e) => e.path)).toEqual(['spec.bmc.pass', 'data[user]', 'data[pass]']);
  });
});

describe('YAML and JSON output', () => {
  it('prints Kubernetes-style YAML: block style, quoted ambiguous strings, no anchors for shared objects', () => {
    const shared = { zone: 'east' };
    const a = { ...server, metadata: { name: 'a', labels: shared } };
    const b = { ...server, metadata: { name: 'b', labels: shared } };
    const text = resourcesToYaml([a, b]);
    expect(text).not.toMatch(/[&*]\w/);
    expect(parse(text.split('---\n')[1]!)).toEqual(b);
    const withTrue = valid({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', labels: { 'common-label': 'true' } } });
    expect(resourcesToYaml([withTrue])).toContain('common-label: "true"');
  });

  it('prints one object as itself and several as a v1 List', () => {
    expect(JSON.parse(resourcesToJson([server]))).toEqual(server);
    expect(JSON.parse(resourcesToJson([server, secret]))).toMatchObject({ apiVersion: 'v1', kind: 'List', items: [server, secret] });
  });
});

describe('JSON Schema of a kind', () => {
  it('accepts what validateResource accepts and refuses unknown fields, for editors and tools', async () => {
    const { Ajv } = await import('ajv');
    const { kindJsonSchema } = await import('../../src/api/index.js');
    const check = new Ajv({ strict: false }).compile(kindJsonSchema('Server')!);
    expect(check(structuredClone(server))).toBe(true);
    expect(check({ ...structuredClone(server), spec: { accepted: true, bmc: { endpoint: 'x', passwrd: 'y' } } })).toBe(false);
    expect(check({ ...structuredClone(server), spec: { accepted: 'yes' } })).toBe(false);
    expect(kindJsonSchema('Pod')).toBeUndefined();
  });
});
