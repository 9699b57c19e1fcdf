import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { metalbox } from '../support/cli.js';

const work = mkdtempSync(join(tmpdir(), 'mbx-cli-edit-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const dataDir = join(work, 'data');

const SERVER = `apiVersion: metal.sidero.dev/v1alpha2
kind: Server
metadata:
  name: 4c4c4544-0000-1000-8000-000000000001
spec:
  hostname: before
  bmc:
    endpoint: 10.0.0.9
    user: admin
    pass: s3cret-pass
`;

/** An $EDITOR that runs a different shell step on each call (its count kept in a file). */
function editorScript(steps: string[]): string {
  const dir = mkdtempSync(join(work, 'ed-'));
  const script = join(dir, 'editor.sh');
  const body = steps.map((s, i) => `  ${i + 1}) ${s} ;;`).join('\n');
  writeFileSync(
    script,
    `#!/bin/sh\nn=$(cat "${dir}/n" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "${dir}/n"\ncp "$1" "${dir}/seen-$n.yaml"\ncase $n in\n${body}\n  *) exit 3 ;;\nesac\n`,
    { mode: 0o755 },
  );
  return script;
}

const storedServer = async () => parse((await metalbox(['get', 'server', '4c4c4544-0000-1000-8000-000000000001', '-o', 'yaml', '--show-secrets', '--data-dir', dataDir])).stdout);

describe('metalbox edit and replace', () => {
  it('edit saves a change and keeps the redacted BMC password', async () => {
    const src = join(work, 'server.yaml');
    writeFileSync(src, SERVER);
    expect((await metalbox(['apply', '-f', src, '--data-dir', dataDir])).code).toBe(0);
    const ed = editorScript([`sed -i 's/hostname: before/hostname: after/' "$1"`]);
    const r = await metalbox(['edit', 'server', '4c4c4544-0000-1000-8000-000000000001', '--data-dir', dataDir], { env: { EDITOR: ed, VISUAL: '' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/server\/4c4c4544-0000-1000-8000-000000000001 edited/);
    const seen = readFileSync(join(ed, '..', 'seen-1.yaml'), 'utf8');
    expect(seen).toContain('<redacted>');
    expect(seen).not.toContain('s3cret-pass');
    const s = await storedServer();
    expect(s.spec.hostname).toBe('after');
    expect(s.spec.bmc.pass).toBe('s3cret-pass');
  }, 120_000);

  it('an invalid edit is reopened with the reason and the operator\'s text; the fix is saved', async () => {
    const ed = editorScript([`sed -i 's/hostname: after/hostname: mine/; s/accepted: false/accepted: maybe/' "$1"`, `sed -i 's/accepted: maybe/accepted: true/' "$1"`]);
    const r = await metalbox(['edit', 'server', '4c4c4544-0000-1000-8000-000000000001', '--data-dir', dataDir], { env: { EDITOR: ed, VISUAL: '' } });
    expect(r.code, r.stderr).toBe(0);
    const second = readFileSync(join(ed, '..', 'seen-2.yaml'), 'utf8');
    expect(second).toMatch(/# The edit could not be saved/);
    expect(second).toMatch(/spec\.accepted/);
    expect(second).toContain('hostname: mine');
    const s = await storedServer();
    expect(s.spec.accepted).toBe(true);
    expect(s.spec.hostname).toBe('mine');
  }, 120_000);

  it('an unchanged edit saves nothing; an edit saved unchanged after an error is kept in a file', async () => {
    const before = await storedServer();
    const noop = await metalbox(['edit', 'server', '4c4c4544-0000-1000-8000-000000000001', '--data-dir', dataDir], { env: { EDITOR: editorScript([':']), VISUAL: '' } });
    expect(noop.code).toBe(0);
    expect(noop.stdout).toMatch(/no changes made/);
    const ed = editorScript([`sed -i 's/hostname: mine/hostname: 7/; s/accepted: true/accepted: maybe/' "$1"`, ':']);
    const r = await metalbox(['edit', 'server', '4c4c4544-0000-1000-8000-000000000001', '--data-dir', dataDir], { env: { EDITOR: ed, VISUAL: '' } });
    expect(r.code).not.toBe(0);
    const kept = /kept in (\S+\.yaml)/.exec(r.stderr)?.[1];
    expect(kept, r.stderr).toBeTruthy();
    expect(readFileSync(kept!, 'utf8')).toContain('accepted: maybe');
    rmSync(kept!);
    const after = await storedServer();
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  }, 120_000);

  it('replace -f refuses a stale resourceVersion and a missing object, and replaces a current one', async () => {
    const cur = await storedServer();
    const stale = { ...cur, metadata: { name: cur.metadata.name, resourceVersion: '1' }, spec: { ...cur.spec, hostname: 'stale' } };
    delete stale.status;
    const f = join(work, 'replace.json');
    writeFileSync(f, JSON.stringify(stale));
    const refused = await metalbox(['replace', '-f', f, '--data-dir', dataDir]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/changed by someone else/);

    writeFileSync(f, JSON.stringify({ ...stale, metadata: { name: cur.metadata.name, resourceVersion: cur.metadata.resourceVersion } }));
    const ok = await metalbox(['replace', '-f', f, '--data-dir', dataDir]);
    expect(ok.code, ok.stderr).toBe(0);
    expect((await storedServer()).spec.hostname).toBe('stale');

    writeFileSync(f, JSON.stringify({ ...stale, metadata: { name: 'no-such-server' } }));
    const missing = await metalbox(['replace', '-f', f, '--data-dir', dataDir]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/does not exist/);
  }, 120_000);

  it('apply warns when a Talos patch would fail at boot (a JSON patch on a multi-document config), and still applies', async () => {
    const f = join(work, 'class.yaml');
    writeFileSync(
      f,
      'apiVersion: metal.sidero.dev/v1alpha2\nkind: ServerClass\nmetadata:\n  name: nvme\nspec:\n  configPatches:\n    - op: replace\n      path: /machine/install/disk\n      value: /dev/nvme0n1\n',
    );
    const r = await metalbox(['apply', '-f', f, '--data-dir', dataDir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/serverclass\/nvme created/);
    expect(r.stderr).toMatch(/Warning: ServerClass\/nvme: .*JSON patches are not supported for multi-document/);
    // The same change as a strategic patch: no warning.
    writeFileSync(f, 'apiVersion: metal.sidero.dev/v1alpha2\nkind: ServerClass\nmetadata:\n  name: nvme\nspec:\n  strategicPatches:\n    - |\n      machine:\n        install:\n          disk: /dev/nvme0n1\n');
    const ok = await metalbox(['apply', '-f', f, '--data-dir', dataDir]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).not.toMatch(/Warning/);
  }, 120_000);
});
