import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parseDocument } from 'yaml';
import { applyPatches, generateMachineConfig, PatchError, type ConfigPatch } from '../../src/talos/index.js';
import { applyJsonPatch } from '../../src/talos/patch/json6902.js';
import { missing, skipNote } from '../support/needs.js';
import { BASE, GOLDEN, goldenSecrets } from './shared.js';

const why = missing(`file:${GOLDEN}/secrets.yaml`);

function config(v: string): string {
  return generateMachineConfig({ type: 'controlplane', versionContract: v, secrets: goldenSecrets(), ...BASE });
}

function jp(patch: ConfigPatch['patch'], index = 0, source = 'test'): ConfigPatch {
  return { source, index, kind: 'json6902', patch };
}

function thrown(f: () => unknown): PatchError {
  try {
    f();
  } catch (e) {
    if (e instanceof PatchError) return e;
    throw e;
  }
  throw new Error('expected a PatchError');
}

describe('RFC 6902 operations', () => {
  const doc = { a: { b: [1, 2, 3], c: 'x' } };

  it('adds, replaces, removes, moves, copies and tests', () => {
    const out = applyJsonPatch(doc, [
      { op: 'add', path: '/a/b/-', value: 4 },
      { op: 'add', path: '/a/b/0', value: 0 },
      { op: 'replace', path: '/a/c', value: 'y' },
      { op: 'remove', path: '/a/b/-1' },
      { op: 'copy', from: '/a/c', path: '/a/d' },
      { op: 'move', from: '/a/d', path: '/e' },
      { op: 'test', path: '/e', value: 'y' },
      { op: 'add', path: '/a/k~1l', value: true },
    ]);
    expect(out).toEqual({ a: { b: [0, 1, 2, 3], c: 'y', 'k/l': true }, e: 'y' });
    expect(doc).toEqual({ a: { b: [1, 2, 3], c: 'x' } });
  });

  it('fails where json-patch fails: missing parents, missing targets, bad indexes, failed tests', () => {
    expect(() => applyJsonPatch(doc, [{ op: 'add', path: '/x/y', value: 1 }])).toThrow(/no \/x/);
    expect(() => applyJsonPatch(doc, [{ op: 'replace', path: '/a/zz', value: 1 }])).toThrow(/no key "zz"/);
    expect(() => applyJsonPatch(doc, [{ op: 'remove', path: '/a/b/3' }])).toThrow(/out of range/);
    expect(() => applyJsonPatch(doc, [{ op: 'test', path: '/a/c', value: 'no' }])).toThrow(/test failed/);
  });
});

describe.skipIf(why)(`JSON patches on machine configs${skipNote(why)}`, () => {
  it('patches a single-document config and writes it the way yaml.v2 writes JSON: sorted keys, 2-space indent', () => {
    const out = applyPatches(config('v1.11'), [jp([{ op: 'add', path: '/machine/install/disk', value: '/dev/nvme0n1' }])]);
    const lines = out.split('\n');
    expect(lines[0]).toBe('cluster:');
    expect(lines).toContain('    disk: /dev/nvme0n1');
    expect(lines).toContain('    podSubnets:');
    expect(lines).toContain('    - 10.244.0.0/16');
    expect(parseDocument(out).toJS().machine.install).toEqual({ disk: '/dev/nvme0n1', wipe: false });
  });

  it('goes back to Talos encoding when a strategic patch follows', () => {
    const out = applyPatches(config('v1.11'), [
      jp([{ op: 'add', path: '/machine/install/disk', value: '/dev/sdb' }]),
      { source: 'test', index: 1, kind: 'strategic', patch: 'machine:\n  install:\n    image: ghcr.io/siderolabs/installer:v1.11.6\n' },
    ]);
    expect(out.startsWith('version: v1alpha1\ndebug: false\npersist: true\nmachine:\n')).toBe(true);
    expect(parseDocument(out).toJS().machine.install).toMatchObject({ disk: '/dev/sdb', image: 'ghcr.io/siderolabs/installer:v1.11.6' });
  });

  it('refuses JSON patches on multi-document configs (1.12 and later)', () => {
    const e = thrown(() => applyPatches(config('v1.12'), [jp([{ op: 'add', path: '/machine/install/disk', value: '/dev/sdb' }], 2, 'Server/abc')]));
    expect(e.message).toContain('patch Server/abc[2]');
    expect(e.message).toContain('not supported for multi-document');
  });

  it('accepts operations given as YAML text, a JSON string or a single object list', () => {
    const base = config('v1.10');
    const a = applyPatches(base, [jp('- op: add\n  path: /machine/install/disk\n  value: /dev/sdc\n')]);
    const b = applyPatches(base, [jp('[{"op":"add","path":"/machine/install/disk","value":"/dev/sdc"}]')]);
    const c = applyPatches(base, [jp({ op: 'add', path: '/machine/install/disk', value: '/dev/sdc' })]);
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(() => applyPatches(base, [jp('[{"op":"frobnicate","path":"/x"}]')])).toThrow(/no valid "op"/);
  });

  it('is atomic: a failing patch throws naming it and its path, and earlier patches leave no trace', () => {
    const base = config('v1.11');
    const before = base.slice();
    const e = thrown(() =>
      applyPatches(base, [
        jp([{ op: 'add', path: '/machine/install/disk', value: '/dev/sdb' }], 0, 'TalosConfig/cp'),
        jp([{ op: 'replace', path: '/machine/network/hostname', value: 'x' }], 1, 'ServerClass/workers'),
      ]),
    );
    expect(e.code).toBe('TALOS_PATCH_FAILED');
    expect(e.source).toBe('ServerClass/workers');
    expect(e.index).toBe(1);
    expect(e.path).toBe('/machine/network/hostname');
    expect(e.message).toMatch(/operation 0 \(replace\)/);
    expect(base).toBe(before);
    expect(parseAllDocuments(base)).toHaveLength(1);
  });
});
