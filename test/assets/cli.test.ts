import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressLine } from '../../src/cli/assets.js';
import { metalbox } from '../support/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), `mbx-assets-cli-${process.pid}-`));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const sha = (b: Buffer) => createHash('sha512').update(b).digest('hex');

describe('metalbox assets (the CLI, as a user runs it)', () => {
  it('import DIR --env default, then status shows it ready; a stray file is reported and fails the command', async () => {
    const data = join(dir, 'data');
    const usb = join(dir, 'usb');
    await mkdir(usb);
    const k = randomBytes(4000);
    await writeFile(join(usb, 'vmlinuz-amd64'), k);
    await writeFile(join(usb, 'initramfs-amd64.xz'), randomBytes(8000));
    const ok = await metalbox(['--data-dir', data, 'assets', 'import', usb, '--env', 'default']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`vmlinuz-amd64 (sha512 ${sha(k).slice(0, 16)}…): default kernel`);
    expect(ok.stdout).toMatch(/default\s+amd64\s+v1\.13\.9\s+yes/);

    const st = await metalbox(['--data-dir', data, 'assets', 'status', '-o', 'json']);
    const envs = JSON.parse(st.stdout) as { environment: string; ready: boolean; assets: { message: string }[] }[];
    expect(envs.find((e) => e.environment === 'default')?.ready).toBe(true);
    expect(envs.find((e) => e.environment === 'default-arm64')).toMatchObject({ ready: false, assets: [{ message: expect.stringContaining('metalbox assets pull default-arm64') }, expect.anything()] });

    await writeFile(join(dir, 'notes.txt'), 'hello');
    const stray = await metalbox(['--data-dir', data, 'assets', 'import', join(dir, 'notes.txt'), '--env', 'default']);
    expect(stray.code).toBe(1);
    expect(stray.stdout).toContain('not imported: matches no Environment');
  }, 60_000);

  it('pull without network: a plain error, exit code 1', async () => {
    const data = join(dir, 'data2');
    const apply = `apiVersion: metal.sidero.dev/v1alpha2
kind: Environment
metadata: {name: offline}
spec:
  kernel: {url: "http://metalbox-test.invalid/v1/vmlinuz-amd64"}
  initrd: {url: "http://metalbox-test.invalid/v1/initramfs-amd64.xz"}
`;
    expect((await metalbox(['--data-dir', data, 'apply', '-f', '-'], { input: apply })).code).toBe(0);
    const r = await metalbox(['--data-dir', data, 'assets', 'pull', 'offline']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot reach metalbox-test.invalid');
    expect(r.stderr).toContain('metalbox assets import DIR');
  }, 60_000);

  it('draws progress as a bar with the rate', () => {
    expect(progressLine({ file: 'vmlinuz-amd64', received: 45_000_000, total: 100_000_000, resumedFrom: 0 }, 2000)).toBe('vmlinuz-amd64 [#########...........] 45% 45.0/100.0 MB 22.5 MB/s');
    expect(progressLine({ file: 'x', received: 1_000_000, total: undefined, resumedFrom: 0 }, 1000)).toBe('x 1.0 MB 1.0 MB/s');
  });
});
