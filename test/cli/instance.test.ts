import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metalbox, startMetalbox } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mbx-cli-inst-'));
let serve: ChildProcess;
let output: () => string;

// Unprivileged, unused ports so the test needs no root and collides with nothing.
const base = 20000 + Math.floor(Math.random() * 40000);
const env = { METALBOX_DHCP_MODE: 'off', METALBOX_TFTP_PORT: String(base), METALBOX_HTTP_PORT: String(base + 1), METALBOX_TALOS_EVENTS_PORT: String(base + 2), METALBOX_TALOS_KERNEL_LOG_PORT: String(base + 3), METALBOX_ADDRESS: '127.0.0.1' };

beforeAll(async () => {
  ({ child: serve, output } = await startMetalbox(['serve', '--data-dir', dir], /metalbox \S+ started/, env));
}, 240_000);

afterAll(async () => {
  if (serve && serve.exitCode === null) {
    serve.kill('SIGTERM');
    await new Promise((r) => serve.once('exit', r));
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('one running instance owns the data directory', () => {
  it('writes commented default settings and keeps files private', () => {
    expect(existsSync(join(dir, 'metalbox.yaml'))).toBe(true);
    expect(statSync(join(dir, 'metalbox.sock')).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('a second instance refuses to start and names the pid', { timeout: 240_000 }, async () => {
    const r = await metalbox(['serve', '--data-dir', dir], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`pid ${serve.pid}`);
  });

  it('CLI commands go through the running instance over the control socket', { timeout: 240_000 }, async () => {
    const manifest = join(dir, 'class.yaml');
    writeFileSync(manifest, 'apiVersion: metal.sidero.dev/v1alpha2\nkind: ServerClass\nmetadata:\n  name: workers\nspec:\n  qualifiers: {}\n');
    const applied = await metalbox(['apply', '-f', manifest, '--data-dir', dir]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('serverclass/workers created');
    // The instance saw the change: its event log on stdout names it.
    await new Promise((r) => setTimeout(r, 200));
    expect(output()).toMatch(/ServerClass workers created by apply/);
    const got = await metalbox(['get', 'sc', 'workers', '-o', 'json', '--data-dir', dir]);
    expect(JSON.parse(got.stdout).metadata.name).toBe('workers');
    const del = await metalbox(['delete', 'sc', 'workers', '--data-dir', dir]);
    expect(del.stdout).toMatch(/deleted/);
  });

  it('stops cleanly on SIGTERM, releasing the lock and the socket', { timeout: 240_000 }, async () => {
    serve.kill('SIGTERM');
    const code = await new Promise((r) => serve.once('exit', r));
    expect(code).toBe(0);
    expect(existsSync(join(dir, 'metalbox.lock'))).toBe(false);
    expect(existsSync(join(dir, 'metalbox.sock'))).toBe(false);
    // With no instance, the CLI opens the store itself.
    const got = await metalbox(['get', 'sc', '--data-dir', dir]);
    expect(got.code).toBe(0);
    expect(got.stdout).toContain('any');
  });
});
