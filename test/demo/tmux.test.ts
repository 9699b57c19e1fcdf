/**
 * `metalbox demo` in a real terminal (tmux): the console paints, the simulated servers appear, one is
 * accepted and reserved for a new cluster, and quitting stops everything and gives the terminal back.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { missing, skipNote } from '../support/needs.js';

const why = missing('bin:tmux');
const session = `mbx-tui-${process.pid}`;
const repo = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), `mbx-tmux-${process.pid}-`));

const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', session);
const keys = (...k: string[]) => tmux('send-keys', '-t', session, ...k);

async function until(pred: (s: string) => boolean, what: string, ms = 60_000): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    const s = screen();
    if (pred(s)) return s;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; the screen is:\n${s}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

afterAll(() => {
  if (!why) {
    try {
      tmux('kill-session', '-t', session);
    } catch {
      // already gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(why)(`metalbox demo in tmux${skipNote(why)}`, () => {
  it('shows the servers, accepts and reserves one, and quits cleanly', async () => {
    const entry = join(repo, 'test/demo/support/metalbox.ts');
    const cmd = `cd ${repo} && TERM=tmux-256color node --import tsx ${entry} demo --servers 3 --speed 3; echo MBX-EXIT=$?; sleep 600`;
    tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '32', cmd);
    await until((s) => /Servers 3 · 3 new/.test(s), 'three new servers', 90_000);
    keys(':', 'clusters', 'Enter');
    await until((s) => /clusters\[0\]/.test(s), 'the clusters view');
    keys('n');
    await until((s) => s.includes('new cluster'), 'the cluster form');
    keys('demo', 'Tab', '10.5.0.10', 'Enter');
    await until((s) => /demo\s+\S+\s+0\/1/.test(s) && s.includes('created cluster demo'), 'the cluster');
    keys(':', 'servers', 'Enter');
    await until((s) => /servers\[3\]/.test(s), 'the servers view');
    keys('a');
    await until((s) => /Servers 3 · 2 new · 1 (available|allocated|installing)/.test(s), 'the accepted server');
    keys('K');
    await until((s) => s.includes('cluster for server'), 'the cluster menu');
    keys('Enter');
    await until((s) => s.includes('role in demo'), 'the role menu');
    keys('c');
    await until((s) => s.includes('reserved for demo as controlplane'), 'the reservation');
    // The server serves the cluster as its control plane and is sent to install.
    await until((s) => /demo\/cp/.test(s) && /installing|installed/.test(s), 'the server installing for the cluster', 60_000);
    keys('q');
    await until((s) => s.includes('Stop Metalbox and quit?'), 'the quit question');
    keys('y');
    const after = await until((s) => s.includes('MBX-EXIT='), 'the demo to exit', 30_000);
    expect(after).toContain('MBX-EXIT=0');
    expect(after).toContain('its temporary data directory was removed');
    expect(after).not.toMatch(/servers\[3\]/); // the console's screen is gone
    expect(tmux('display-message', '-p', '-t', session, '#{alternate_on}').trim()).toBe('0');
  }, 240_000);
});
