import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  checkPatch,
  checkPatches,
  generateMachineConfig,
  PatchError,
  renderServerConfig,
  sideroPatches,
  type SideroPatchSources,
} from '../../src/talos/index.js';
import { missing, skipNote } from '../support/needs.js';
import { BASE, GOLDEN, goldenSecrets } from './shared.js';

const why = missing(`file:${GOLDEN}/secrets.yaml`);
const UUID = '4c4c4544-0035-3010-8030-c4c04f4a4633';

// any: parsed YAML documents, probed field by field in assertions.
type Doc = Record<string, any>;

function config(v: string, type: 'controlplane' | 'worker' = 'worker'): string {
  return generateMachineConfig({ type, versionContract: v, secrets: goldenSecrets(), ...BASE });
}

const disk = (d: string): string => `machine:\n  install:\n    disk: ${d}\n`;

function sources(extra: Partial<SideroPatchSources> = {}): SideroPatchSources {
  return {
    talosConfig: { name: 'workers', configPatches: [], strategicPatches: [disk('/dev/talosconfig')] },
    serverClass: { name: 'nuc', strategicPatches: [disk('/dev/class'), 'machine:\n  kubelet:\n    extraArgs:\n      node-labels: rack=r1\n'] },
    server: { name: UUID, strategicPatches: [disk('/dev/server')] },
    ...extra,
  };
}

function first(text: string): Doc {
  return parseAllDocuments(text)[0]!.toJS() as Doc;
}

describe.skipIf(why)(`Sidero's patch order and node label${skipNote(why)}`, () => {
  it('lists patches TalosConfig, then ServerClass, then Server, JSON before strategic', () => {
    const list = sideroPatches({
      talosConfig: { name: 'tc', configPatches: [{ op: 'add', path: '/x', value: 1 }], strategicPatches: ['a: 1'] },
      serverClass: { name: 'sc', configPatches: [{ op: 'add', path: '/y', value: 1 }], strategicPatches: ['b: 1', 'c: 1'] },
      server: { name: UUID, strategicPatches: ['d: 1'] },
    });
    expect(list.map((p) => `${p.source} ${p.field} ${p.index} ${p.kind}`)).toEqual([
      'TalosConfig/tc configPatches 0 json6902',
      'TalosConfig/tc strategicPatches 0 strategic',
      'ServerClass/sc configPatches 0 json6902',
      'ServerClass/sc strategicPatches 0 strategic',
      'ServerClass/sc strategicPatches 1 strategic',
      `Server/${UUID} strategicPatches 0 strategic`,
    ]);
  });

  it('applies them in that order (later wins) and appends the uuid label with a comma on multi-document configs', () => {
    const out = renderServerConfig(config('v1.12'), sources());
    const d = first(out);
    expect(d.machine.install.disk).toBe('/dev/server');
    expect(d.machine.kubelet.extraArgs['node-labels']).toBe(`rack=r1,metal.sidero.dev/uuid=${UUID}`);
    expect(out).toContain('---\napiVersion: v1alpha1\nkind: HostnameConfig\n');
  });

  it('labels single-document configs with a JSON patch, so they come out in yaml.v2 form', () => {
    const out = renderServerConfig(config('v1.11'), sources());
    expect(out.startsWith('cluster:\n')).toBe(true);
    expect(first(out).machine.kubelet.extraArgs).toEqual({ 'node-labels': `rack=r1,metal.sidero.dev/uuid=${UUID}` });
    const bare = renderServerConfig(config('v1.11'), { server: { name: UUID } });
    expect(first(bare).machine.kubelet.extraArgs).toEqual({ 'node-labels': `metal.sidero.dev/uuid=${UUID}` });
    expect(first(bare).machine.install).toEqual({ wipe: false });
  });

  it('names the resource, the list and the position of a failing patch', () => {
    const bad = sources({ serverClass: { name: 'nuc', strategicPatches: [disk('/dev/ok'), 'machine:\n  instal: {}\n'] } });
    expect(() => renderServerConfig(config('v1.12'), bad)).toThrow(/patch ServerClass\/nuc strategicPatches\[1\].*machine\.instal: unknown field/s);
    let err: unknown;
    try {
      renderServerConfig(config('v1.11'), {
        server: {
          name: UUID,
          configPatches: [
            { op: 'add', path: '/machine/install/disk', value: '/dev/sda' },
            { op: 'replace', path: '/machine/nope/x', value: 1 },
          ],
        },
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PatchError);
    expect(err).toMatchObject({ source: `Server/${UUID}`, index: 1, path: '/machine/nope/x' });
  });
});

describe.skipIf(why)(`checking patches at edit time${skipNote(why)}`, () => {
  it('accepts a good patch and shows the result', () => {
    const r = checkPatch({ source: 'ServerClass/nuc', index: 0, kind: 'strategic', patch: disk('/dev/nvme0n1') }, { versionContract: 'v1.13', machineType: 'worker' });
    expect(r.issues).toEqual([]);
    expect(r.ok).toBe(true);
    expect(first(r.preview).machine.install.disk).toBe('/dev/nvme0n1');
  });

  it('reports unknown fields, JSON patches on multi-document configs, and results the schema refuses', () => {
    const unknown = checkPatch({ source: 'Server/x', index: 2, kind: 'auto', patch: 'machine:\n  kubelet:\n    imagee: x\n' });
    expect(unknown.ok).toBe(false);
    expect(unknown.issues[0]).toMatchObject({ source: 'Server/x', index: 2 });
    expect(unknown.issues[0]!.message).toMatch(/kubelet\.imagee: unknown field/);
    const json = checkPatch({ source: 'Server/x', index: 0, kind: 'json6902', patch: [{ op: 'add', path: '/machine/install/disk', value: 'x' }] }, { versionContract: 'v1.12' });
    expect(json.issues[0]!.message).toMatch(/multi-document/);
    const schema = checkPatches(
      [
        { source: 'TalosConfig/t', index: 0, kind: 'strategic', patch: 'apiVersion: v1alpha1\nkind: HostnameConfig\nauto: sometimes\n' },
      ],
      { versionContract: 'v1.13' },
    );
    expect(schema.issues).toEqual([
      expect.objectContaining({ source: 'TalosConfig/t', index: 0, path: 'auto', message: expect.stringMatching(/HostnameConfig document invalid at auto: must be one of/) }),
    ]);
  });

  it('checks against the given config when there is one', () => {
    const base = config('v1.11', 'controlplane');
    const r = checkPatch({ source: 's', index: 0, kind: 'json6902', patch: [{ op: 'replace', path: '/cluster/clusterName', value: 'renamed' }] }, { versionContract: 'v1.11', baseConfig: base });
    expect(r.ok).toBe(true);
    expect(first(r.preview).cluster.clusterName).toBe('renamed');
  });
});
