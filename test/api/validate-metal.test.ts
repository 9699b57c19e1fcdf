import { describe, expect, it } from 'vitest';
import type { Environment, Server, ServerClass } from '../../src/api/index.js';
import { REDACTED, validateResource } from '../../src/api/index.js';
import { refused, valid, warnings } from './helpers.js';

const V2 = 'metal.sidero.dev/v1alpha2';
const server = (spec: unknown, extra: Record<string, unknown> = {}) => ({ apiVersion: V2, kind: 'Server', metadata: { name: 'abc' }, spec, ...extra });

describe('Server', () => {
  it('fills defaults: accepted false, BMC port 623 and interface lanplus, no namespace', () => {
    const s = valid<Server>(server({ bmc: { endpoint: '10.0.0.25', user: 'admin', pass: 'secret' } }));
    expect(s.spec!.accepted).toBe(false);
    expect(s.spec!.bmc).toEqual({ endpoint: '10.0.0.25', port: 623, user: 'admin', pass: 'secret', interface: 'lanplus' });
    expect(s.metadata.namespace).toBeUndefined();
    expect(valid<Server>({ apiVersion: V2, kind: 'Server', metadata: { name: 'x' } }).spec).toEqual({ accepted: false });
  });

  it('keeps given values over defaults and does not change its input', () => {
    const input = server({ accepted: true, bmc: { endpoint: 'bmc', port: 6230, interface: 'lan' } });
    const before = structuredClone(input);
    const s = valid<Server>(input);
    expect(s.spec!.accepted).toBe(true);
    expect(s.spec!.bmc!.port).toBe(6230);
    expect(s.spec!.bmc!.interface).toBe('lan');
    expect(input).toEqual(before);
  });

  it('refuses an unknown field with its path and a suggestion', () => {
    expect(refused(server({ bmc: { endpoint: 'b', passwrd: 'x' } }))).toEqual(['spec.bmc.passwrd: unknown field (did you mean "pass"?)']);
    expect(refused(server({ acepted: true }))).toEqual(['spec.acepted: unknown field (did you mean "accepted"?)']);
    expect(refused({ ...server({}), extra: 1 })).toEqual(['extra: unknown field']);
  });

  it('names the path and the expected type of a wrong value', () => {
    expect(refused(server({ accepted: 'yes' }))).toEqual(['spec.accepted: expected a boolean, got string "yes" (YAML 1.2 reads it as text: write true or false)']);
    expect(refused(server({ accepted: 'True' }))).toEqual(['spec.accepted: expected a boolean (true or false), got string "True"']);
    expect(refused(server({ hardware: { network: { interfaces: [null] } } }))).toEqual(['spec.hardware.network.interfaces[0]: must not be null']);
    expect(refused(server({ bmc: { endpoint: 'b', port: '623' } }))).toEqual(['spec.bmc.port: expected an integer, got string "623"']);
    expect(refused(server({ bmc: { endpoint: 'b', port: 70000 } }))).toEqual(['spec.bmc.port: 70000 is out of range 1..65535']);
    expect(refused(server({ hardware: { compute: { processors: { speed: 1 } } } }))).toEqual([
      'spec.hardware.compute.processors: expected a list, got an object',
    ]);
    expect(refused(server({ hardware: { network: { interfaces: [{ addresses: ['ok', 7] }] } } }))).toEqual([
      'spec.hardware.network.interfaces[0].addresses[1]: expected a string, got number 7',
    ]);
  });

  it('names missing required fields', () => {
    expect(refused(server({ bmc: { user: 'u' } }))).toEqual(['spec.bmc.endpoint: required field is missing']);
    expect(refused({ apiVersion: V2, kind: 'Server', metadata: {} })).toEqual(['metadata.name: required field is missing']);
    expect(refused({ apiVersion: V2, kind: 'Server' })).toEqual(['metadata: required field is missing']);
    expect(refused(server({ configPatches: [{ path: '/a' }] }))).toEqual(['spec.configPatches[0].op: required field is missing']);
  });

  it('checks the enums of bootFromDiskMethod and pxeMode', () => {
    expect(valid<Server>(server({ bootFromDiskMethod: 'ipxe-sanboot', pxeMode: 'uefi' })).spec!.pxeMode).toBe('uefi');
    expect(refused(server({ bootFromDiskMethod: 'exit', pxeMode: 'efi' }))).toEqual([
      'spec.bootFromDiskMethod: unsupported value "exit"; expected one of "", "ipxe-exit", "http-404", "ipxe-sanboot"',
      'spec.pxeMode: unsupported value "efi"; expected one of "", "bios", "uefi"',
    ]);
  });

  it('refuses a credential given both inline and from a Secret', () => {
    const ref = { secretKeyRef: { namespace: 'default', name: 'abc-bmc', key: 'pass' } };
    expect(refused(server({ bmc: { endpoint: 'b', pass: 'p', passFrom: ref } }))).toEqual([
      'spec.bmc.passFrom: cannot be used together with spec.bmc.pass',
    ]);
    expect(valid<Server>(server({ bmc: { endpoint: 'b', passFrom: ref } })).spec!.bmc!.passFrom).toEqual(ref);
    expect(refused(server({ bmc: { endpoint: 'b', passFrom: { secretKeyRef: { name: 'x' } } } }))).toEqual([
      'spec.bmc.passFrom.secretKeyRef.namespace: required field is missing',
      'spec.bmc.passFrom.secretKeyRef.key: required field is missing',
    ]);
  });

  it('checks config patches: op enum, JSON pointer, value where RFC 6902 needs one', () => {
    expect(refused(server({ configPatches: [{ op: 'merge', path: '/a' }] }))[0]).toMatch(/^spec.configPatches\[0\].op: unsupported value "merge"/);
    expect(refused(server({ configPatches: [{ op: 'add', path: 'machine/install' , value: 1 }] }))[0]).toMatch(/path: invalid value "machine\/install"/);
    expect(refused(server({ configPatches: [{ op: 'replace', path: '/machine/install/disk' }] }))).toEqual([
      'spec.configPatches[0].value: required for op "replace"',
    ]);
    const s = valid<Server>(server({ configPatches: [{ op: 'remove', path: '/cluster/network' }, { op: 'add', path: '/x', value: { a: [1, null] } }] }));
    expect(s.spec!.configPatches![1]!.value).toEqual({ a: [1, null] });
  });

  it('checks that strategic patches are YAML mappings', () => {
    expect(valid<Server>(server({ strategicPatches: ['machine:\n  install:\n    disk: /dev/sda\n'] })).spec!.strategicPatches).toHaveLength(1);
    expect(refused(server({ strategicPatches: ['machine: [unclosed'] }))[0]).toMatch(/^spec.strategicPatches\[0\]: invalid value/);
    expect(refused(server({ strategicPatches: ['- a list'] }))[0]).toMatch(/YAML machine-config fragment/);
  });

  it('drops a namespace on a cluster-scoped kind, with a warning', () => {
    const input = { ...server({}), metadata: { name: 'abc', namespace: 'default' } };
    expect(valid(input).metadata.namespace).toBeUndefined();
    expect(warnings(input)).toEqual(['metadata.namespace: ignored: Server is cluster-scoped']);
  });

  it('checks Metalbox annotations and warns about unknown or misplaced ones', () => {
    const withAnn = (annotations: Record<string, string>) => ({ ...server({}), metadata: { name: 'abc', annotations } });
    expect(valid(withAnn({ 'metalbox.dev/ipxe-binary': 'snponly', 'metalbox.dev/wol-mac': 'aa:bb:cc:dd:ee:ff', 'example.com/x': 'y' })).metadata.annotations).toHaveProperty(
      ['metalbox.dev/ipxe-binary'],
      'snponly',
    );
    expect(refused(withAnn({ 'metalbox.dev/ipxe-binary': 'undionly' }))).toEqual([
      'metadata.annotations[metalbox.dev/ipxe-binary]: invalid value "undionly": expected ipxe, snponly',
    ]);
    expect(refused(withAnn({ 'metalbox.dev/power-driver': 'magic' }))[0]).toMatch(/expected ipmi, redfish, wol, qemu, manual, none/);
    expect(warnings(withAnn({ 'metalbox.dev/pwoer-driver': 'ipmi', 'metalbox.dev/arch': 'amd64' }))).toEqual([
      expect.stringMatching(/^metadata.annotations\[metalbox.dev\/pwoer-driver\]: unknown Metalbox annotation/),
      'metadata.annotations[metalbox.dev/arch]: has no effect on a Server (used on Environment)',
    ]);
  });

  it('checks metadata like Kubernetes: names, label keys and values', () => {
    const meta = (metadata: unknown) => ({ ...server({}), metadata });
    expect(refused(meta({ name: 'Not_A_Name' }))[0]).toMatch(/^metadata.name: invalid value "Not_A_Name": expected a DNS subdomain/);
    expect(refused(meta({ name: 'a', labels: { 'bad key!': 'v' } }))[0]).toMatch(/^metadata.labels\[bad key!\]: invalid key/);
    expect(refused(meta({ name: 'a', labels: { ok: true } }))).toEqual(['metadata.labels[ok]: expected a string, got boolean true']);
    expect(refused(meta({ name: 'a', generateName: 'a-' }))[0]).toMatch(/^metadata.generateName: not supported by Metalbox/);
    const m = valid(meta({ name: 'a', managedFields: [{ manager: 'kubectl' }], selfLink: '/x', uid: 'u-1', resourceVersion: '7' })).metadata;
    expect(m).toEqual({ name: 'a', uid: 'u-1', resourceVersion: '7' });
  });

  it('refuses the redaction marker as a BMC password', () => {
    expect(refused(server({ bmc: { endpoint: 'b', pass: REDACTED } }))).toEqual([
      `spec.bmc.pass: is the redaction marker ${REDACTED}, not a value; give the real value or leave the field out`,
    ]);
  });

  it('validates the status the controllers write', () => {
    const ok = valid<Server>(
      server({}, { status: { ready: true, inUse: false, isClean: true, power: 'on', addresses: [{ type: 'InternalIP', address: '10.0.0.5' }], conditions: [{ type: 'PXEBooted', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }] } }),
    );
    expect(ok.status!.power).toBe('on');
    expect(refused(server({}, { status: { power: 'sleeping', conditions: [{ type: 'X', status: 'yes' }] } }))).toEqual([
      'status.conditions[0].status: unsupported value "yes"; expected one of "True", "False", "Unknown"',
      'status.conditions[0].lastTransitionTime: required field is missing',
      'status.power: unsupported value "sleeping"; expected one of "on", "off", "unknown", ""',
    ]);
  });

  it('converts a v1alpha1 Server: spec.system and spec.cpu become spec.hardware', () => {
    const input = {
      apiVersion: 'metal.sidero.dev/v1alpha1',
      kind: 'Server',
      metadata: { name: 'abc' },
      spec: { accepted: true, cpu: { manufacturer: 'Intel', version: 'Xeon E5' }, system: { manufacturer: 'Dell Inc.', productName: 'R630' } },
    };
    const r = validateResource(input);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.object.apiVersion).toBe(V2);
    expect((r.object as Server).spec).toEqual({
      hardware: { system: { manufacturer: 'Dell Inc.', productName: 'R630' }, compute: { processors: [{ manufacturer: 'Intel', productName: 'Xeon E5' }] } },
      accepted: true,
    });
    expect(r.warnings.map((w) => w.message)).toEqual(['converted from metal.sidero.dev/v1alpha1 to metal.sidero.dev/v1alpha2']);
  });

  it('reports v1alpha1 mistakes at the path the user wrote', () => {
    expect(refused({ apiVersion: 'metal.sidero.dev/v1alpha1', kind: 'Server', metadata: { name: 'a' }, spec: { cpu: { vendor: 'x' }, system: { uuid: 'u' } } })).toEqual([
      'spec.system.uuid: unknown field',
      'spec.cpu.vendor: unknown field',
    ]);
  });
});

describe('ServerClass', () => {
  const cls = (spec: unknown, apiVersion = V2) => ({ apiVersion, kind: 'ServerClass', metadata: { name: 'cls' }, spec });

  it('defaults qualifiers and selector to {} (they always serialise in Sidero)', () => {
    expect(valid<ServerClass>({ apiVersion: V2, kind: 'ServerClass', metadata: { name: 'any' } }).spec).toEqual({ qualifiers: {}, selector: {} });
  });

  it('takes hardware qualifiers, label-selector qualifiers and a selector', () => {
    const c = valid<ServerClass>(
      cls({
        environmentRef: { name: 'talos-1.13-amd64' },
        qualifiers: { hardware: [{ memory: { totalSize: '32 GB' } }], labelSelectors: [{ zone: 'east' }] },
        selector: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['east'] }] },
        bootFromDiskMethod: 'http-404',
      }),
    );
    expect(c.spec!.qualifiers.hardware![0]!.memory!.totalSize).toBe('32 GB');
    expect(refused(cls({ selector: { matchExpressions: [{ key: 'zone', operator: 'in' }] } }))[0]).toMatch(
      /^spec.selector.matchExpressions\[0\].operator: unsupported value "in"/,
    );
    expect(refused(cls({ qualifiers: { hardware: [{ cpu: {} }] } }))).toEqual(['spec.qualifiers.hardware[0].cpu: unknown field']);
  });

  it('normalises the list-shaped qualifiers of Sidero\'s v1alpha2 sample, with a warning', () => {
    const input = cls({ qualifiers: [{ system: { manufacturer: 'Dell Inc.' } }] });
    expect(valid<ServerClass>(input).spec!.qualifiers).toEqual({ hardware: [{ system: { manufacturer: 'Dell Inc.' } }] });
    expect(warnings(input)).toEqual([
      'spec.qualifiers: a list of hardware entries was read as qualifiers.hardware (Sidero\'s CRD expects "qualifiers: {hardware: [...]}")',
    ]);
  });

  it('converts v1alpha1 qualifiers (systemInformation, then cpu; labelSelectors kept)', () => {
    const c = valid<ServerClass>(
      cls(
        {
          qualifiers: {
            cpu: [{ manufacturer: 'Intel', version: 'Atom C3558' }],
            systemInformation: [{ manufacturer: 'Dell Inc.' }],
            labelSelectors: [{ rack: 'r1' }],
          },
        },
        'metal.sidero.dev/v1alpha1',
      ),
    );
    expect(c.apiVersion).toBe(V2);
    expect(c.spec!.qualifiers).toEqual({
      hardware: [{ system: { manufacturer: 'Dell Inc.' } }, { compute: { processors: [{ manufacturer: 'Intel', productName: 'Atom C3558' }] } }],
      labelSelectors: [{ rack: 'r1' }],
    });
    expect(refused(cls({ qualifiers: { cpu: [{ model: 'x' }] } }, 'metal.sidero.dev/v1alpha1'))).toEqual(['spec.qualifiers.cpu[0].model: unknown field']);
  });
});

describe('Environment', () => {
  const env = (spec: unknown, apiVersion = V2) => ({ apiVersion, kind: 'Environment', metadata: { name: 'e' }, spec });

  it('takes kernel and initrd URLs, sha512 sums and args', () => {
    const e = valid<Environment>(env({ kernel: { url: 'http://10.0.0.1/vmlinuz', sha512: 'a'.repeat(128), args: ['console=tty0'] }, initrd: { url: 'https://x/initramfs.xz' } }));
    expect(e.spec!.kernel!.args).toEqual(['console=tty0']);
    expect(valid<Environment>({ apiVersion: V2, kind: 'Environment', metadata: { name: 'e' } }).spec).toEqual({});
  });

  it('refuses non-HTTP URLs, malformed sums and unknown fields', () => {
    expect(refused(env({ kernel: { url: 'ftp://x/vmlinuz', sha512: 'abc' }, initrd: { url: 'x', args: [] } }))).toEqual([
      'spec.kernel.url: invalid value "ftp://x/vmlinuz": expected an http:// or https:// URL',
      'spec.kernel.sha512: invalid value "abc": expected 128 hexadecimal digits (a sha512 sum) or empty',
      'spec.initrd.args: unknown field',
      'spec.initrd.url: invalid value "x": expected an http:// or https:// URL',
    ]);
  });

  it('converts v1alpha1 unchanged apart from the apiVersion', () => {
    const spec = { kernel: { url: 'https://x/vmlinuz-amd64', args: ['a=b'] }, initrd: { url: 'https://x/initramfs-amd64.xz' } };
    const e = valid<Environment>(env(spec, 'metal.sidero.dev/v1alpha1'));
    expect(e.apiVersion).toBe(V2);
    expect(e.spec).toEqual(spec);
  });
});

describe('identity', () => {
  it('refuses what is not an object, an unknown kind and an unserved apiVersion', () => {
    expect(refused([1, 2])).toEqual([': expected a Kubernetes object (a mapping with apiVersion, kind, metadata), got a list']);
    expect(refused({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } })[0]).toMatch(/^kind: unknown kind "Pod"; Metalbox knows Server, ServerClass/);
    expect(refused({ apiVersion: V2, kind: 'server', metadata: { name: 'p' } })[0]).toMatch(/unknown kind "server" \(did you mean "Server"\?\)/);
    expect(refused({ apiVersion: 'metal.sidero.dev/v1beta1', kind: 'Server', metadata: { name: 'p' } })).toEqual([
      'apiVersion: "metal.sidero.dev/v1beta1" is not served for Server; use metal.sidero.dev/v1alpha2',
    ]);
    expect(refused({ kind: 'Server', metadata: { name: 'p' } })).toEqual(['apiVersion: required field is missing']);
  });
});
