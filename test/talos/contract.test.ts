import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  generateMachineConfig,
  parseContract,
  SUPPORTED_CONTRACTS,
  contractString,
  validateMachineConfig,
  type GenerateInput,
} from '../../src/talos/index.js';
import { missing, skipNote } from '../support/needs.js';
import { BASE, GOLDEN, OVERRIDES, goldenSecrets } from './shared.js';

const why = missing(`file:${GOLDEN}/secrets.yaml`);

// any: parsed YAML documents, probed field by field in assertions.
type Doc = Record<string, any>;

function gen(v: string, extra: Partial<GenerateInput> = {}): Doc[] {
  const text = generateMachineConfig({ type: 'controlplane', versionContract: v, secrets: goldenSecrets(), ...BASE, ...extra });
  return parseAllDocuments(text).map((d) => d.toJS() as Doc);
}

describe('version contracts', () => {
  it('parses versions the way Talos does and refuses what it cannot generate', () => {
    expect(parseContract('v1.10.3')).toEqual({ major: 1, minor: 10 });
    expect(parseContract('1.13')).toEqual({ major: 1, minor: 13 });
    expect(parseContract('v1.12.0-beta.1')).toEqual({ major: 1, minor: 12 });
    expect(parseContract(undefined)).toEqual({ major: 1, minor: 13 });
    expect(() => parseContract('v1.14')).toThrow(expect.objectContaining({ code: 'TALOS_VERSION_UNSUPPORTED' }));
    expect(() => parseContract('latest')).toThrow(expect.objectContaining({ code: 'TALOS_VERSION_INVALID' }));
  });
});

describe.skipIf(why)(`what changes between contracts${skipNote(why)}`, () => {
  it('moves registry mirrors, CAs and insecure registries into documents from 1.12, sorted by kind then name', () => {
    const registries = {
      registryMirrors: { 'ghcr.io': ['https://a.example'], 'docker.io': ['https://b.example', 'https://c.example'] },
      registryCACerts: { 'z.example': '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n' },
      registryInsecure: ['a.example', 'z.example'],
    };
    const legacy = gen('v1.11', registries)[0]!.machine.registries;
    expect(legacy.mirrors['docker.io']).toEqual({ endpoints: ['https://b.example', 'https://c.example'] });
    expect(legacy.config['z.example'].tls.insecureSkipVerify).toBe(true);
    expect(Buffer.from(legacy.config['z.example'].tls.ca, 'base64').toString()).toContain('BEGIN CERTIFICATE');
    const docs = gen('v1.12', registries);
    expect(docs[0]!.machine.registries).toBeUndefined();
    expect(docs.slice(1).map((d) => `${d.kind}/${d.name ?? ''}`)).toEqual([
      'RegistryMirrorConfig/docker.io',
      'RegistryMirrorConfig/ghcr.io',
      'RegistryTLSConfig/a.example',
      'RegistryTLSConfig/z.example',
      'HostnameConfig/',
    ]);
    expect(docs[1]!.endpoints).toEqual([{ url: 'https://b.example' }, { url: 'https://c.example' }]);
    expect(docs[4]!).toMatchObject({ insecureSkipVerify: true, name: 'z.example' });
  });

  it('puts the endpoint host first in the API server SANs only up to 1.11', () => {
    expect(gen('v1.11', { additionalSANs: ['x'] })[0]!.cluster.apiServer.certSANs).toEqual(['base', 'x']);
    expect(gen('v1.12', { additionalSANs: ['x'] })[0]!.cluster.apiServer.certSANs).toEqual(['x']);
    expect(gen('v1.12')[0]!.cluster.apiServer.certSANs).toBeUndefined();
    expect(gen('v1.13', { additionalSANs: ['x'] })[0]!.machine.certSANs).toEqual(['x']);
  });

  it('gives workers the cluster name and CoreDNS forwarding from 1.8, control planes the LB exclusion label', () => {
    const w7 = gen('v1.7', { type: 'worker' })[0]!;
    const w8 = gen('v1.8', { type: 'worker' })[0]!;
    expect(w7.cluster.clusterName).toBeUndefined();
    expect(w8.cluster.clusterName).toBe('base');
    expect(w7.machine.features.hostDNS).toEqual({ enabled: true });
    expect(w8.machine.features.hostDNS).toEqual({ enabled: true, forwardKubeDNSToHost: true });
    expect(w8.machine.nodeLabels).toBeUndefined();
    expect(gen('v1.7')[0]!.machine.nodeLabels).toBeUndefined();
    expect(gen('v1.8')[0]!.machine.nodeLabels).toEqual({ 'node.kubernetes.io/exclude-from-external-load-balancers': '' });
  });

  it('keeps the worker free of control plane secrets whatever the options', () => {
    const w = gen('v1.13', { type: 'worker', ...OVERRIDES })[0]!;
    expect(w.machine.ca.key).toBe('');
    expect(w.cluster.ca.key).toBe('');
    for (const k of ['aggregatorCA', 'serviceAccount', 'secretboxEncryptionSecret', 'etcd', 'apiServer', 'allowSchedulingOnControlPlanes']) {
      expect(w.cluster[k]).toBeUndefined();
    }
    expect(w.cluster.controlPlane).toEqual({ endpoint: 'https://base:6443' });
  });

  it('makes init and join the documents Talos makes for them', () => {
    const init = gen('v1.10', { type: 'init' })[0]!;
    const cp = gen('v1.10', { type: 'controlplane' })[0]!;
    expect(init.machine.type).toBe('init');
    expect({ ...init, machine: { ...init.machine, type: 'controlplane' } }).toEqual(cp);
    expect(gen('v1.10', { type: 'join' })).toEqual(gen('v1.10', { type: 'worker' }));
  });

  it('leaves images unset without a Kubernetes version, and defaults it per Talos version', () => {
    const none = gen('v1.13', { kubernetesVersion: '' })[0]!;
    expect(none.machine.kubelet.image).toBeUndefined();
    expect(none.cluster.apiServer.image).toBeUndefined();
    const def = parseAllDocuments(
      generateMachineConfig({ type: 'worker', versionContract: 'v1.10', secrets: goldenSecrets(), clusterName: 'c', endpoint: 'https://c:6443' }),
    )[0]!.toJS() as Doc;
    expect(def.machine.kubelet.image).toBe('ghcr.io/siderolabs/kubelet:v1.33.6');
    expect(gen('v1.13', { kubernetesVersion: 'v1.30.1' })[0]!.cluster.proxy.image).toBe('registry.k8s.io/kube-proxy:v1.30.1');
  });

  it('honours discovery off, KubePrism port 0 and a CNI without URLs', () => {
    const c = gen('v1.12', { discovery: false, kubePrismPort: 0, cni: { name: 'none' } })[0]!;
    expect(c.cluster.discovery).toBeUndefined();
    expect(c.machine.features.kubePrism).toBeUndefined();
    expect(c.cluster.network.cni).toEqual({ name: 'none' });
    expect(gen('v1.12', { kubePrismPort: 7000 })[0]!.machine.features.kubePrism).toEqual({ enabled: true, port: 7000 });
  });

  it('drops the empty machine.network from 1.13 and the legacy feature flags from 1.12', () => {
    expect(gen('v1.12')[0]!.machine.network).toEqual({});
    expect(gen('v1.13')[0]!.machine.network).toBeUndefined();
    expect(gen('v1.11')[0]!.machine.features).toMatchObject({ rbac: true, stableHostname: true, apidCheckExtKeyUsage: true });
    expect(gen('v1.12')[0]!.machine.features.rbac).toBeUndefined();
    expect(gen('v1.11')[0]!.machine.install.grubUseUKICmdline).toBeUndefined();
    expect(gen('v1.12')[0]!.machine.install.grubUseUKICmdline).toBe(true);
  });

  it('refuses bad inputs with a clear error', () => {
    expect(() => gen('v1.13', { endpoint: 'not a url' })).toThrow(/not a URL/);
    expect(() => gen('v1.13', { type: 'boss' as never })).toThrow(/unknown machine type/);
    expect(() => gen('v1.13', { clusterName: '' })).toThrow(/cluster name/);
  });

  it('renders configs that pass the schema of their version, for every contract, type and option set', () => {
    const everything: Partial<GenerateInput> = {
      ...OVERRIDES,
      registryCACerts: { 'ghcr.io': 'ca' },
      registryInsecure: ['ghcr.io'],
      installImage: 'ghcr.io/siderolabs/installer:v1.13.9',
    };
    for (const c of SUPPORTED_CONTRACTS) {
      for (const type of ['init', 'controlplane', 'worker'] as const) {
        for (const extra of [{}, everything, { discovery: false, kubernetesVersion: '' }]) {
          const text = generateMachineConfig({ type, versionContract: c, secrets: goldenSecrets(), ...BASE, ...extra });
          expect({ v: contractString(c), type, issues: validateMachineConfig(text, c) }).toEqual({ v: contractString(c), type, issues: [] });
        }
      }
    }
  });
});
