import { describe, expect, it } from 'vitest';
import { formatProblem, parseManifests, type ManifestResult } from '../../src/api/index.js';

function errors(r: ManifestResult): string[] {
  if (r.ok) throw new Error('expected the stream to be refused');
  return r.errors.map((e) => formatProblem(e, 'in.yaml'));
}

const server = (name: string, extra = '') => `apiVersion: metal.sidero.dev/v1alpha2
kind: Server
metadata:
  name: ${name}
spec:
  accepted: true${extra}
`;

describe('multi-document manifests', () => {
  it('reads every document in order, skipping empty ones', () => {
    const text = `# rack 1\n---\n${server('a')}---\n---\n${server('b')}---\n# trailing comment only\n`;
    const r = parseManifests(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.resources.map((x) => [x.document, x.line, x.object.metadata.name])).toEqual([
      [1, 3, 'a'],
      [3, 11, 'b'],
    ]);
    expect(r.warnings).toEqual([]);
  });

  it('reads an empty stream as no resources', () => {
    expect(parseManifests('')).toEqual({ ok: true, resources: [], warnings: [] });
    expect(parseManifests('# nothing\n')).toEqual({ ok: true, resources: [], warnings: [] });
  });

  it('names the document, line and column of a YAML error', () => {
    const text = `${server('a')}---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: x\nstringData: {a: [1, 2}\n`;
    const e = errors(parseManifests(text));
    expect(e.length).toBeGreaterThan(0);
    for (const line of e) expect(line).toMatch(/^in\.yaml:12:2\d: document 2: Flow (sequence|map) in block collection/);
  });

  it('refuses duplicate keys as Kubernetes decoding does', () => {
    const e = errors(parseManifests(`${server('a')}  accepted: false\n`));
    expect(e).toEqual([expect.stringMatching(/^in\.yaml:7:3: document 1: Map keys must be unique/)]);
  });

  it('names document, kind/name, field path, line and column of a validation error', () => {
    const text = `${server('a')}---\n${server('b', '\n  bmc:\n    endpoint: 10.0.0.5\n    passwrd: hunter2\n    port: "623"')}`;
    expect(errors(parseManifests(text))).toEqual([
      'in.yaml:16:5: document 2 (Server b): spec.bmc.passwrd: unknown field (did you mean "pass"?)',
      'in.yaml:17:5: document 2 (Server b): spec.bmc.port: expected an integer, got string "623"',
    ]);
  });

  it('points a missing field at its parent', () => {
    const text = 'apiVersion: cluster.x-k8s.io/v1beta1\nkind: MachineDeployment\nmetadata:\n  name: w\nspec:\n  selector: {}\n';
    expect(errors(parseManifests(text))).toEqual([
      'in.yaml:5:1: document 1 (MachineDeployment w): spec.clusterName: required field is missing',
      'in.yaml:5:1: document 1 (MachineDeployment w): spec.template: required field is missing',
    ]);
  });

  it('is all or nothing: one bad document refuses the whole stream', () => {
    const r = parseManifests(`${server('a')}---\n${server('b')}---\nkind: Pod\n`);
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.errors.map((e) => e.document)).toEqual([3, 3]);
    expect('resources' in r).toBe(false);
  });

  it('refuses a document that is not an object', () => {
    expect(errors(parseManifests('- a\n- b\n'))).toEqual(['in.yaml:1:1: document 1: expected a Kubernetes object (a mapping with apiVersion, kind, metadata), got a list']);
  });

  it('expands a kind: List document, naming items in problems', () => {
    const text = `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Secret\n    metadata: {name: s1}\n  - apiVersion: v1\n    kind: Secret\n    metadata: {name: s2}\n    data: {a: "!!"}\n`;
    expect(errors(parseManifests(text))).toEqual(['in.yaml:10:12: document 1 item 1 (Secret s2): data[a]: invalid value "!!": expected base64 data (use stringData for plain text)']);
    const ok = parseManifests(text.replace('"!!"', 'YQ=='));
    expect(ok.ok && ok.resources.map((r) => [r.item, r.object.metadata.name])).toEqual([
      [0, 's1'],
      [1, 's2'],
    ]);
  });

  it('drops status with a warning unless asked to keep it', () => {
    const text = `${server('a')}status:\n  inUse: true\n`;
    const r = parseManifests(text);
    expect(r.ok && r.resources[0]!.object.status).toBeUndefined();
    expect(r.warnings.map((w) => formatProblem(w))).toEqual(['7:1: document 1 (Server a): status: ignored on apply (Metalbox maintains status)']);
    const kept = parseManifests(text, { keepStatus: true });
    expect(kept.ok && kept.resources[0]!.object.status).toEqual({ inUse: true });
  });

  it('warns when the same object appears twice (the later wins, as with kubectl apply)', () => {
    const r = parseManifests(`${server('a')}---\n${server('a')}`);
    expect(r.ok).toBe(true);
    expect(r.warnings.map((w) => formatProblem(w))).toEqual(['8: document 2 (Server a): also defined in document 1; the later one wins']);
  });

  it('carries conversion warnings with their document', () => {
    const r = parseManifests(server('a').replace('v1alpha2', 'v1alpha1'));
    expect(r.warnings.map((w) => formatProblem(w, 'f'))).toEqual([
      'f:1:1: document 1 (Server a): apiVersion: converted from metal.sidero.dev/v1alpha1 to metal.sidero.dev/v1alpha2',
    ]);
  });

  it('refuses a YAML bomb of aliases instead of expanding it', () => {
    const bomb = 'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n';
    expect(errors(parseManifests(bomb))).toEqual([expect.stringMatching(/^in\.yaml:1:1: document 1: .*alias/i)]);
  });
});
