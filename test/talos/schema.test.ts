import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { validateMachineConfig } from '../../src/talos/index.js';
import { deriveCompactSchema, renderCompactModule } from '../../src/talos/schema/derive.js';
import { schemaV1_10 } from '../../src/talos/schema/v1_10.js';
import { schemaV1_13 } from '../../src/talos/schema/v1_13.js';
import { missing, skipNote } from '../support/needs.js';
import { GOLDEN, GOLDEN_VERSIONS, SCHEMAS, golden } from './shared.js';

const why = missing(`file:${SCHEMAS}/v1.13.config.schema.json`, `file:${GOLDEN}/secrets.yaml`);
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv2020) => void;

function published(v: string): Record<string, unknown> {
  return JSON.parse(readFileSync(`${SCHEMAS}/${v}.config.schema.json`, 'utf8')) as Record<string, unknown>;
}

/** A validator for a whole schema (its oneOf of all document kinds). */
function validator(schema: object): (doc: unknown) => boolean {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

const SAMPLES = [
  'version: v1alpha1\nmachine:\n  type: worker\n  token: t\n  certSANs: []\ncluster:\n  controlPlane:\n    endpoint: https://a:6443\n',
  'version: v1alpha1\nmachine:\n  type: worker\n  install:\n    disk: 5\n',
  'version: v1alpha1\nmachine:\n  type: boss\n',
  'version: v1alpha1\nmachine:\n  kubelet:\n    nodeIP:\n      validSubnets: [10.0.0.0/8]\n  frobnicate: true\n',
  'apiVersion: v1alpha1\nkind: SideroLinkConfig\napiUrl: https://10.5.0.1:8081\n',
  'apiVersion: v1alpha1\nkind: SideroLinkConfig\napiUrl: ftp://nope\n',
  'apiVersion: v1alpha1\nkind: VolumeConfig\nname: EPHEMERAL\nprovisioning:\n  maxSize: 40GiB\n',
];

describe.skipIf(why)(`schemas derived from Talos's published ones${skipNote(why)}`, () => {
  it('ship exactly what the derivation script makes from the published schemas', () => {
    expect(deriveCompactSchema(published('v1.10'))).toEqual(schemaV1_10);
    expect(deriveCompactSchema(published('v1.13'))).toEqual(schemaV1_13);
    const src = renderCompactModule('schemaV1_13', deriveCompactSchema(published('v1.13')), 'x');
    expect(src.split('\n').length).toBeLessThan(300);
  });

  it('accept and refuse the same documents as the published schemas', () => {
    for (const [v, compact] of [['v1.10', schemaV1_10], ['v1.13', schemaV1_13]] as const) {
      const full = validator(published(v));
      const ours = validator({ $defs: compact.defs, oneOf: compact.roots.map((r) => ({ $ref: `#/$defs/${r}` })) });
      const docs = [...SAMPLES, ...['base-controlplane', 'overrides-worker'].map((f) => golden(`${v}/${f}.yaml`).replace('persist: true\n', ''))];
      for (const text of docs) {
        for (const d of parseAllDocuments(text)) {
          const value = d.toJS();
          expect({ v, text: text.slice(0, 60), ours: ours(value) }).toEqual({ v, text: text.slice(0, 60), ours: full(value) });
        }
      }
    }
  });

  it("need Talos's allowances: the published schema refuses Talos's own output (persist)", () => {
    const full = validator(published('v1.13'));
    expect(full(parseAllDocuments(golden('v1.13/base-worker.yaml'))[0]!.toJS())).toBe(false);
    for (const v of GOLDEN_VERSIONS) {
      for (const f of ['base-controlplane', 'base-worker', 'overrides-controlplane', 'overrides-worker']) {
        expect({ v, f, issues: validateMachineConfig(golden(`${v}/${f}.yaml`), v) }).toEqual({ v, f, issues: [] });
      }
    }
  });
});

describe('validateMachineConfig', () => {
  it('names the document and the path of each problem', () => {
    const issues = validateMachineConfig(
      'version: v1alpha1\nmachine:\n  type: boss\n  install: {disk: [1]}\n  network:\n    interfaces:\n      - interface: eth0\n        mtu: big\ncluster: {}\n---\napiVersion: v1alpha1\nkind: HostnameConfig\nauto: weird\n',
      'v1.12',
    );
    expect(issues).toEqual([
      { document: 'v1alpha1 document', path: 'machine.type', message: 'must be one of: "init", "controlplane", "worker", "join"' },
      { document: 'v1alpha1 document', path: 'machine.install.disk', message: 'must be string' },
      { document: 'v1alpha1 document', path: 'machine.network.interfaces[0].mtu', message: 'must be integer' },
      { document: 'HostnameConfig document', path: 'auto', message: 'must be one of: "stable", "off"' },
    ]);
  });

  it("refuses document kinds the version does not have, and extraArgs lists before 1.13", () => {
    expect(validateMachineConfig('apiVersion: v1alpha1\nkind: HostnameConfig\nauto: stable\n', 'v1.11')).toEqual([
      { document: 'HostnameConfig document', path: 'kind', message: 'Talos v1.11 has no document kind HostnameConfig' },
    ]);
    const lists = 'version: v1alpha1\nmachine:\n  kubelet:\n    extraArgs:\n      feature-gates: [a, b]\n';
    expect(validateMachineConfig(lists, 'v1.13')).toEqual([]);
    expect(validateMachineConfig(lists, 'v1.12')).toEqual([
      { document: 'v1alpha1 document', path: 'machine.kubelet.extraArgs.feature-gates', message: 'must be string' },
    ]);
  });

  it('reports unparseable YAML with its line and column', () => {
    expect(validateMachineConfig('machine:\n  type: [worker\n', 'v1.13')[0]!.message).toMatch(/line \d+, column \d+/);
  });
});
