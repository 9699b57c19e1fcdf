import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { applyPatches, generateMachineConfig, PatchError, type ConfigPatch } from '../../src/talos/index.js';
import { missing, skipNote } from '../support/needs.js';
import { BASE, GOLDEN, goldenSecrets } from './shared.js';

const why = missing(`file:${GOLDEN}/secrets.yaml`);

// any: parsed YAML documents, probed field by field in assertions.
type Doc = Record<string, any>;

function config(v = 'v1.12', type: 'controlplane' | 'worker' = 'controlplane'): string {
  return generateMachineConfig({ type, versionContract: v, secrets: goldenSecrets(), ...BASE });
}

function sp(patch: string, index = 0, source = 'test'): ConfigPatch {
  return { source, index, kind: 'strategic', patch };
}

function docs(text: string): Doc[] {
  return parseAllDocuments(text).map((d) => d.toJS() as Doc);
}

function patched(patches: string[], v = 'v1.12'): Doc[] {
  return docs(applyPatches(config(v), patches.map((p, i) => sp(p, i))));
}

function failure(f: () => unknown): PatchError {
  try {
    f();
  } catch (e) {
    if (e instanceof PatchError) return e;
    throw e;
  }
  throw new Error('expected the patch to fail');
}

describe.skipIf(why)(`strategic merge patches${skipNote(why)}`, () => {
  it('replaces pod and service subnets and the audit policy instead of merging them', () => {
    const [d] = patched([
      'cluster:\n  network:\n    podSubnets: [10.1.0.0/16]\n    serviceSubnets: [10.2.0.0/16]\n  apiServer:\n    auditPolicy:\n      apiVersion: audit.k8s.io/v1\n      kind: Policy\n      rules: [{level: None}]\n',
    ]);
    expect(d!.cluster.network.podSubnets).toEqual(['10.1.0.0/16']);
    expect(d!.cluster.network.serviceSubnets).toEqual(['10.2.0.0/16']);
    expect(d!.cluster.apiServer.auditPolicy.rules).toEqual([{ level: 'None' }]);
  });

  it('concatenates other lists, merges maps key by key and keeps values the patch leaves zero', () => {
    const [d] = patched([
      'machine:\n  certSANs: [a]\n  sysctls: {x: "1"}\n  kubelet:\n    extraMounts: [{destination: /a, source: /a, type: bind}]\n',
      'machine:\n  certSANs: [b]\n  sysctls: {y: "2", x: "3"}\n  kubelet:\n    image: ""\n    extraMounts: [{destination: /b}]\n',
    ]);
    expect(d!.machine.certSANs).toEqual(['a', 'b']);
    expect(d!.machine.sysctls).toEqual({ x: '3', y: '2' });
    expect(d!.machine.kubelet.extraMounts.map((m: Doc) => m.destination)).toEqual(['/a', '/b']);
    expect(d!.machine.kubelet.image).toBe('ghcr.io/siderolabs/kubelet:v1.28.0');
  });

  it('always merges an explicit false, and keeps a boolean the patch does not mention', () => {
    const [d] = patched(['machine:\n  features:\n    diskQuotaSupport: false\n  install:\n    disk: /dev/sdb\n']);
    expect(d!.machine.features.diskQuotaSupport).toBe(false);
    expect(d!.machine.install).toEqual({ disk: '/dev/sdb', wipe: false, grubUseUKICmdline: true });
  });

  it('merges network interfaces by name or device selector and their VLANs by id', () => {
    const [d] = patched([
      'machine:\n  network:\n    interfaces:\n      - interface: eth0\n        addresses: [10.0.0.2/24]\n        vlans: [{vlanId: 10, addresses: [10.10.0.2/24], routes: []}]\n      - deviceSelector: {hardwareAddr: "aa:*"}\n        mtu: 1500\n',
      'machine:\n  network:\n    interfaces:\n      - interface: eth0\n        mtu: 9000\n        vlans: [{vlanId: 10, mtu: 1400, routes: []}, {vlanId: 20, routes: []}]\n      - deviceSelector: {hardwareAddr: "aa:*"}\n        dhcp: true\n      - interface: eth1\n        dhcp: true\n',
    ]);
    const ifs = d!.machine.network.interfaces;
    expect(ifs).toHaveLength(3);
    expect(ifs[0]).toMatchObject({ interface: 'eth0', mtu: 9000, addresses: ['10.0.0.2/24'] });
    expect(ifs[0].vlans).toEqual([
      { vlanId: 10, addresses: ['10.10.0.2/24'], routes: [], mtu: 1400 },
      { vlanId: 20, routes: [] },
    ]);
    expect(ifs[1]).toEqual({ deviceSelector: { hardwareAddr: 'aa:*' }, mtu: 1500, dhcp: true });
    expect(ifs[2]).toEqual({ interface: 'eth1', dhcp: true });
  });

  it('merges admission plugins by name', () => {
    const [d] = patched([
      'cluster:\n  apiServer:\n    admissionControl:\n      - name: PodSecurity\n        configuration:\n          defaults: {enforce: restricted}\n      - name: EventRateLimit\n        configuration: {kind: Configuration}\n',
    ]);
    const ac = d!.cluster.apiServer.admissionControl;
    expect(ac.map((a: Doc) => a.name)).toEqual(['PodSecurity', 'EventRateLimit']);
    expect(ac[0].configuration.defaults.enforce).toBe('restricted');
    expect(ac[0].configuration.defaults.audit).toBe('restricted');
    expect(ac[0].configuration.exemptions.namespaces).toEqual(['kube-system']);
  });

  it('merges documents by kind and name and appends new ones', () => {
    const out = patched([
      'apiVersion: v1alpha1\nkind: HostnameConfig\nauto: "off"\nhostname: node-1\n',
      'apiVersion: v1alpha1\nkind: SideroLinkConfig\napiUrl: https://10.5.0.1:8081\n',
    ]);
    expect(out.map((d) => d.kind ?? 'v1alpha1')).toEqual(['v1alpha1', 'HostnameConfig', 'SideroLinkConfig']);
    expect(out[1]).toEqual({ apiVersion: 'v1alpha1', kind: 'HostnameConfig', auto: 'off', hostname: 'node-1' });
  });

  it('deletes fields, list elements and whole documents with $patch: delete', () => {
    const [d, ...rest] = patched([
      'machine:\n  network:\n    hostname: h1\n    interfaces: [{interface: eth0, dhcp: true}, {interface: eth1, dhcp: true}]\n',
      'machine:\n  network:\n    hostname:\n      $patch: delete\n    interfaces:\n      - interface: eth0\n        $patch: delete\n  features:\n    kubePrism:\n      $patch: delete\n',
      'apiVersion: v1alpha1\nkind: HostnameConfig\n$patch: delete\n',
    ]);
    expect(d!.machine.network).toEqual({ interfaces: [{ interface: 'eth1', dhcp: true }] });
    expect(d!.machine.features.kubePrism).toBeUndefined();
    expect(rest).toEqual([]);
  });

  it('refuses to delete what is not there, the v1alpha1 root, and inner keys of list elements', () => {
    expect(failure(() => patched(['machine:\n  network:\n    interfaces:\n      - interface: eth9\n        $patch: delete\n'])).message).toMatch(/lookup failed/);
    expect(failure(() => patched(['apiVersion: v1alpha1\nkind: SideroLinkConfig\n$patch: delete\n'])).message).toMatch(/not in the config/);
    expect(() => patched(['version: v1alpha1\n$patch: delete\n'])).toThrow(/missing apiVersion/);
    expect(() => patched(['machine:\n  network:\n    interfaces:\n      - interface: eth0\n        dhcp:\n          $patch: delete\n'])).toThrow(/inner key/);
  });

  it('names the patch, document and path of unknown fields and wrong types', () => {
    const e1 = (() => {
      try {
        applyPatches(config(), [sp('machine:\n  install:\n    disk: /dev/sda\n    diks: /dev/sdb\n', 3, 'ServerClass/workers')]);
      } catch (e) {
        return e as Error & { code: string };
      }
      throw new Error('no error');
    })();
    expect(e1.code).toBe('TALOS_PATCH_INVALID');
    expect(e1).toBeInstanceOf(PatchError);
    expect(e1).toMatchObject({ source: 'ServerClass/workers', index: 3, path: 'machine.install.diks' });
    expect(e1.message).toContain('patch ServerClass/workers[3]');
    expect(e1.message).toContain('install.diks: unknown field "diks"');
    expect(() => applyPatches(config(), [sp('machine:\n  install:\n    wipe: sometimes\n')])).toThrow(/machine\.install\.wipe: expected true or false/);
    expect(() => applyPatches(config(), [sp('apiVersion: v1alpha1\nkind: NoSuchConfig\n')])).toThrow(/unknown document kind/);
  });

  it('refuses to merge values of different types inside free-form sections', () => {
    const e = failure(() => patched(['machine:\n  kubelet:\n    extraConfig: {maxPods: 10}\n', 'machine:\n  kubelet:\n    extraConfig: {maxPods: "x"}\n']));
    expect(e.path).toBe('machine.kubelet.extraConfig.maxPods');
    expect(e.index).toBe(1);
  });

  it('reads YAML 1.1 booleans into boolean fields and writes durations in Go form', () => {
    const [d] = patched(['machine:\n  install:\n    wipe: yes\ncluster:\n  adminKubeconfig:\n    certLifetime: 90m\n']);
    expect(d!.machine.install.wipe).toBe(true);
    expect(d!.cluster.adminKubeconfig.certLifetime).toBe('1h30m0s');
  });
});

describe.skipIf(why)(`Talos's own unmarshalers${skipNote(why)}`, () => {
  it('trims leading line breaks from inline manifests, as ClusterInlineManifests does', () => {
    const [d] = patched(['cluster:\n  inlineManifests:\n    - name: ns\n      contents: "\\n\\napiVersion: v1\\nkind: Namespace\\n"\n']);
    expect(d!.cluster.inlineManifests).toEqual([{ name: 'ns', contents: 'apiVersion: v1\nkind: Namespace\n' }]);
  });
});
