import { Command } from 'commander';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseDocument } from 'yaml';
import { parseRegistryMirrors, registerGen } from '../../src/cli/gen.js';
import { parseSecretsBundle } from '../../src/talos/index.js';
import { missing, skipNote } from '../support/needs.js';
import { GOLDEN, golden } from './shared.js';

const why = missing(`file:${GOLDEN}/secrets.yaml`);

async function run(...args: string[]): Promise<void> {
  const program = new Command();
  program.exitOverride();
  registerGen(program);
  await program.parseAsync(args, { from: 'user' });
}

describe.skipIf(why)(`metalbox gen${skipNote(why)}`, () => {
  const dir = mkdtempSync(join(tmpdir(), `talos-cli-${process.pid}-`));
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  beforeAll(() => writeFileSync(join(dir, 'golden-secrets.yaml'), golden('secrets.yaml')));
  afterAll(() => {
    out.mockRestore();
    err.mockRestore();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gen secrets writes a bundle readable by gen config, private, and refuses to overwrite without --force', async () => {
    const file = join(dir, 'secrets.yaml');
    await run('gen', 'secrets', '-o', file, '--talos-version', 'v1.13');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const bundle = parseSecretsBundle(readFileSync(file, 'utf8'));
    expect(bundle.cluster.id).toMatch(/^[A-Za-z0-9_-]{43}=$/);
    await expect(run('gen', 'secrets', '-o', file)).rejects.toThrow(/already exists/);
  });

  it('gen config with talosctl flags writes exactly the golden configs', async () => {
    const base = join(dir, 'base');
    await run('gen', 'config', 'base', 'https://base:6443', '--with-secrets', join(dir, 'golden-secrets.yaml'), '--talos-version', 'v1.12',
      '--kubernetes-version', '1.28.0', '--install-disk', '', '--install-image', '', '--output-dir', base);
    expect(readFileSync(join(base, 'controlplane.yaml'), 'utf8')).toBe(golden('v1.12/base-controlplane.yaml'));
    expect(readFileSync(join(base, 'worker.yaml'), 'utf8')).toBe(golden('v1.12/base-worker.yaml'));
    const tc = parseDocument(readFileSync(join(base, 'talosconfig'), 'utf8')).toJS();
    expect(tc.contexts.base.endpoints).toEqual([]);

    const over = join(dir, 'over');
    writeFileSync(join(dir, 'patch.yaml'), golden('patch-pre14.yaml'));
    await run('gen', 'config', 'base', 'https://base:6443', '--with-secrets', join(dir, 'golden-secrets.yaml'), '--talos-version', 'v1.10',
      '--kubernetes-version', '1.28.0', '--install-image', '', '--install-disk', '/dev/vda', '--additional-sans', 'foo,bar',
      '--allow-scheduling-on-control-planes', '--dns-domain', 'example.com', '--install-extra-kernel-args', 'foo=bar bar=baz',
      '--local-api-server-port', '5443', '--sysctl', 'foo=bar', '--cni-name', 'custom', '--cni-url', 'https://example.com/cni.yaml',
      '--registry-mirror', 'ghcr.io=https://ghcr.io.my-mirror.com', '--config-patch', `@${join(dir, 'patch.yaml')}`, '--output-dir', over);
    expect(readFileSync(join(over, 'controlplane.yaml'), 'utf8')).toBe(golden('v1.10/overrides-controlplane.yaml'));
    expect(readFileSync(join(over, 'worker.yaml'), 'utf8')).toBe(golden('v1.10/overrides-worker.yaml'));
  });

  it('applies control-plane and worker patches only to their types, and defaults the install image per version', async () => {
    const d = join(dir, 'typed');
    // JSON patches are refused for 1.13's multi-document configs, so the worker patch must fail loudly.
    await expect(
      run('gen', 'config', 'c', 'https://10.0.0.1:6443', '--with-secrets', join(dir, 'golden-secrets.yaml'), '--talos-version', 'v1.13',
        '--config-patch-worker', '[{"op":"add","path":"/machine/install/disk","value":"/dev/w"}]', '--output-dir', join(dir, 'typed2')),
    ).rejects.toThrow(/--config-patch-worker\[0\].*multi-document/);
    await run('gen', 'config', 'c', 'https://10.0.0.1:6443', '--with-secrets', join(dir, 'golden-secrets.yaml'), '--talos-version', 'v1.13.2',
      '--config-patch-control-plane', 'machine:\n  install:\n    disk: /dev/cp\n', '--config-patch-worker', 'machine:\n  install:\n    disk: /dev/w\n',
      '--output-dir', d, '--force');
    const cp = parseDocument(readFileSync(join(d, 'controlplane.yaml'), 'utf8')).toJS();
    const w = parseDocument(readFileSync(join(d, 'worker.yaml'), 'utf8')).toJS();
    expect(cp.machine.install).toMatchObject({ disk: '/dev/cp', image: 'ghcr.io/siderolabs/installer:v1.13.2' });
    expect(w.machine.install.disk).toBe('/dev/w');
    expect(cp.machine.kubelet.image).toBe('ghcr.io/siderolabs/kubelet:v1.36.3');
  });

  it('refuses bad input with a clear message', async () => {
    const s = ['--with-secrets', join(dir, 'golden-secrets.yaml'), '--output-dir', join(dir, 'bad')];
    await expect(run('gen', 'config', 'c', 'http://x:6443', ...s)).rejects.toThrow(/must start with https/);
    await expect(run('gen', 'config', 'c', 'https://x:6443', '--talos-version', 'v1.5', ...s)).rejects.toThrow(/not supported/);
    await expect(run('gen', 'config', 'c', 'https://x:6443', '--sysctl', 'novalue', ...s)).rejects.toThrow(/not key=value/);
    await expect(run('gen', 'config', 'c', 'https://x:6443', '--with-cluster-discovery=maybe', ...s)).rejects.toThrow(/takes true or false/);
    await expect(run('gen', 'config', 'c', 'https://x:6443', '--config-patch', 'machine:\n  bogus: 1\n', ...s)).rejects.toThrow(/bogus: unknown field/);
    await expect(run('gen', 'config', 'c', 'https://x:6443', '--config-patch', 'machine:\n  install:\n    wipe: 5\n', ...s)).rejects.toThrow(/wipe: expected true or false/);
  });

  it('reads registry mirrors as talosctl does', () => {
    expect(parseRegistryMirrors(['docker.io=https://a,https://b', 'ghcr.io=https://c'])).toEqual({
      'docker.io': ['https://a', 'https://b'],
      'ghcr.io': ['https://c'],
    });
    expect(() => parseRegistryMirrors(['nonsense'])).toThrow(/not host=url/);
  });
});
