/**
 * The $EDITOR round trip with scripted editors: each "editor" is a shell script that changes the file the
 * console hands it (and records what it was given), as an operator would.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Server } from '../../src/api/index.js';
import { server, startConsole, type Harness } from './harness.js';


let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const NAME = '4c4c4544-0042-3510-8050-b4c04f00e0e0';

/** An editor that runs the n-th step on its n-th invocation and keeps a copy of what it was given. */
function scriptedEditor(dir: string, steps: string[]): string {
  const path = join(dir, 'editor.sh');
  const cases = steps.map((s, i) => `  ${i + 1}) ${s} ;;`).join('\n');
  writeFileSync(
    path,
    `#!/bin/sh\nn=$(cat "${dir}/count" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "${dir}/count"\ncp "$1" "${dir}/seen-$n.yaml"\ncase $n in\n${cases}\n  *) exit 0 ;;\nesac\n`,
  );
  chmodSync(path, 0o755);
  return path;
}

async function withEditor(steps: string[]): Promise<Harness> {
  const hh = await startConsole({
    seed: async (app) => {
      await app.store.create(server(NAME, { accepted: true, hostname: 'before', bmc: { endpoint: '10.9.0.7', user: 'admin', pass: 's3cret-pass' } }));
    },
  });
  const editor = scriptedEditor(hh.dataDir, steps);
  // The console reads $EDITOR when an edit starts.
  (hh.console as unknown as { opts: { env: NodeJS.ProcessEnv } }).opts.env = { ...process.env, EDITOR: editor, VISUAL: '' };
  return hh;
}

const seen = (hh: Harness, n: number) => readFileSync(join(hh.dataDir, `seen-${n}.yaml`), 'utf8');

/** The header's `line N` is the line of the file the operator sees (header included) that holds `text`. */
function expectLineAt(file: string, text: string): void {
  const n = Number(/# metalbox: +line (\d+)/.exec(file)?.[1]);
  expect(file.split('\n')[n - 1]).toContain(text);
}

describe('editing in $EDITOR', () => {
  it('saves a valid edit, keeping the BMC password that was shown redacted', async () => {
    h = await withEditor([`sed -i 's/hostname: before/hostname: after/' "$1"`]);
    await h.press('e');
    await h.waitFor(() => h!.app.store.get<Server>('Server', NAME)?.spec?.hostname === 'after');
    expect(seen(h, 1)).toContain('pass: <redacted>');
    expect(seen(h, 1)).not.toContain('s3cret-pass');
    expect(h.app.store.get<Server>('Server', NAME)?.spec?.bmc?.pass).toBe('s3cret-pass');
    expect(h.text()).toMatch(/saved Server 4c4c4544/);
  });

  it('refuses an invalid edit, says why, and reopens with the operator\'s own text', async () => {
    h = await withEditor([
      `sed -i 's/hostname: before/hostname: mine/; s/accepted: true/accepted: maybe/' "$1"`,
      `sed -i 's/accepted: maybe/accepted: true/' "$1"`,
    ]);
    await h.press('e');
    await h.waitFor(() => h!.app.store.get<Server>('Server', NAME)?.spec?.hostname === 'mine');
    const second = seen(h, 2);
    expect(second).toMatch(/# metalbox: this edit was NOT saved because:/);
    expect(second).toMatch(/# metalbox: .*accepted/);
    expect(second).toContain('hostname: mine');
    expect(second).toContain('accepted: maybe');
    expectLineAt(second, 'accepted: maybe');
  });

  it('leaves everything as it was when the editor quits without changes', async () => {
    h = await withEditor(['true']);
    const before = h.app.store.get<Server>('Server', NAME)!.metadata.resourceVersion;
    await h.press('e');
    await h.waitFor((t) => t.includes('no changes, nothing saved'));
    expect(h.app.store.get<Server>('Server', NAME)!.metadata.resourceVersion).toBe(before);
  });

  it('keeps the text as a draft when the editor fails, and offers it on the next edit', async () => {
    h = await withEditor([`sed -i 's/hostname: before/hostname: draft-text/' "$1"; exit 3`, 'true']);
    await h.press('e');
    await h.waitFor((t) => t.includes('exited with 3'));
    expect(h.app.store.get<Server>('Server', NAME)?.spec?.hostname).toBe('before');
    await h.press('e');
    await h.waitFor(() => existsSync(join(h!.dataDir, 'seen-2.yaml')));
    expect(seen(h, 2)).toContain('your unsaved edit from last time');
    expect(seen(h, 2)).toContain('hostname: draft-text');
  });

  it('edits just the patches, validated before they are saved', async () => {
    h = await withEditor([
      `printf 'configPatches:\\n  - op: replace\\n    path: /machine/install/disk\\n    value: /dev/nvme0n1\\nstrategicPatches: []\\n' > "$1"`,
    ]);
    await h.press('P');
    await h.waitFor(() => (h!.app.store.get<Server>('Server', NAME)?.spec?.configPatches?.length ?? 0) === 1);
    expect(seen(h, 1)).toContain('configPatches: []');
    expect(h.app.store.get<Server>('Server', NAME)?.spec?.configPatches?.[0]).toEqual({ op: 'replace', path: '/machine/install/disk', value: '/dev/nvme0n1' });
    expect(h.app.store.get<Server>('Server', NAME)?.spec?.bmc?.pass).toBe('s3cret-pass');
    // Saved, with what Talos 1.12+ would do with a JSON patch on its multi-document config said on the flash line.
    await h.waitFor((t) => /saved the patches of Server .*; but Server\//.test(t));
  });

  it('points a refused patch at its own line in the patches file, not in the whole server', async () => {
    h = await withEditor([
      `printf 'configPatches:\n  - op: frobnicate\n    path: /machine/install/disk\n    value: /dev/sdb\nstrategicPatches: []\n' > "$1"`,
      `sed -i 's/op: frobnicate/op: replace/' "$1"`,
    ]);
    await h.press('P');
    await h.waitFor(() => (h!.app.store.get<Server>('Server', NAME)?.spec?.configPatches?.length ?? 0) === 1);
    const second = seen(h, 2);
    expect(second).toMatch(/# metalbox: +line \d+:\d+: configPatches\[0\]\.op: .*frobnicate/);
    expectLineAt(second, 'op: frobnicate');
  });
});
