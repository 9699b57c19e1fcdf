import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { fillTemplate } from '../api/helpers.js';
import { metalbox } from '../support/cli.js';

const fixtures = join(import.meta.dirname, '../fixtures/sidero');
const work = mkdtempSync(join(tmpdir(), 'mbx-cli-rt-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as { kind: string; metadata: { name: string } });
/** Objects keyed by kind/name, without what the store maintains. */
function byKey(text: string): Map<string, unknown> {
  return new Map(docs(text).map((o) => [`${o.kind}/${o.metadata.name}`, o]));
}

describe('Sidero material round trip through the CLI', () => {
  const first = join(work, 'first');
  const second = join(work, 'second');
  const cluster = join(work, 'cluster.yaml');
  writeFileSync(cluster, fillTemplate(readFileSync(join(fixtures, 'cluster-template.yaml'), 'utf8')));
  const samples = ['metal_v1alpha2_server.yaml', 'metal_v1alpha2_serverclass.yaml', 'metal_v1alpha2_environment.yaml'].map((f) => join(fixtures, f));

  it('apply, get -o yaml, export, re-apply into an empty store: the objects are equal', async () => {
    const applied = await metalbox(['apply', '--data-dir', first, '-f', ...samples, cluster]);
    expect(applied.stderr).toMatch(/qualifiers/); // the list-shaped qualifiers are normalised with a warning
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/server\/\S+ created/);
    expect(applied.stdout).toMatch(/taloscontrolplane\/\S+ created/);

    const got = await metalbox(['get', 'servers', '--data-dir', first, '-o', 'yaml']);
    expect(got.code, got.stderr).toBe(0);
    expect(got.stdout).toContain('apiVersion: metal.sidero.dev/v1alpha2');

    const exported = await metalbox(['export', '--data-dir', first, '--show-secrets']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).not.toMatch(/resourceVersion|creationTimestamp|uid:|^status:/m);
    const exportFile = join(work, 'export.yaml');
    writeFileSync(exportFile, exported.stdout);

    const reapplied = await metalbox(['import', '--data-dir', second, '-f', exportFile]);
    expect(reapplied.code, reapplied.stderr).toBe(0);
    const again = await metalbox(['export', '--data-dir', second, '--show-secrets']);
    const a = byKey(exported.stdout);
    const b = byKey(again.stdout);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [k, v] of a) expect(b.get(k), k).toEqual(v);
    // Cluster-scoped kinds carry no namespace in the export.
    for (const o of docs(exported.stdout)) {
      if (['Server', 'ServerClass', 'Environment', 'ServerBinding'].includes(o.kind)) expect((o.metadata as { namespace?: string }).namespace).toBeUndefined();
    }
  }, 240_000);

  it('re-applying the same manifests changes nothing', { timeout: 240_000 }, async () => {
    const r = await metalbox(['apply', '--data-dir', first, '-f', ...samples]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').every((l) => l.endsWith('unchanged'))).toBe(true);
  });

  it('refuses a stream with a broken document, naming document, line and column, and applies nothing', { timeout: 240_000 }, async () => {
    const bad = join(work, 'bad.yaml');
    writeFileSync(
      bad,
      [
        'apiVersion: metal.sidero.dev/v1alpha2\nkind: ServerClass\nmetadata:\n  name: fine\nspec: {}\n',
        'apiVersion: metal.sidero.dev/v1alpha2\nkind: Server\nmetadata:\n  name: broken\nspec:\n  bmc:\n    passwrd: x\n',
      ].join('---\n'),
    );
    const r = await metalbox(['apply', '--data-dir', first, '-f', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.yaml:13:5: document 2 \(Server broken\): spec\.bmc\.passwrd: unknown field/);
    const sc = await metalbox(['get', 'sc', 'fine', '--data-dir', first]);
    expect(sc.code).toBe(1);
    expect(sc.stderr).toMatch(/not found/);

    const yamlErr = join(work, 'yamlerr.yaml');
    writeFileSync(yamlErr, 'kind: Server\nmetadata:\n  name: [oops\n');
    const y = await metalbox(['apply', '--data-dir', first, '-f', yamlErr]);
    expect(y.code).toBe(1);
    expect(y.stderr).toMatch(/yamlerr\.yaml:\d+:\d+: document 1/);
  });

  it('accepts kind names as kubectl does', async () => {
    // The full table of names is tested in test/api/kinds.test.ts; here the CLI path for a few forms.
    for (const k of ['SERVERS', 'sc', 'tcp']) {
      const r = await metalbox(['get', k, '--data-dir', first, '-A']);
      expect(r.code, `${k}: ${r.stderr}`).toBe(0);
    }
    const r = await metalbox(['get', 'severs', '--data-dir', first]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/servers/);
  }, 240_000);
});
