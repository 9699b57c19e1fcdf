/**
 * `metalbox` itself in a real terminal (tmux): the boot frame, then the console on the first start page;
 * esc goes to the servers, q asks, y quits, the terminal is given back and the exit status is 0.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { missing, skipNote } from '../support/needs.js';

const why = missing('bin:tmux');
const session = `mbx-console-${process.pid}`;
const repo = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), `mbx-console-${process.pid}-`));

const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const screen = (of = session) => tmux('capture-pane', '-p', '-t', of);

async function until(pred: (s: string) => boolean, what: string, ms = 60_000, of = session): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    const s = screen(of);
    if (pred(s)) return s;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; the screen is:\n${s}`);
    await new Promise((r) => setTimeout(r, 200));
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

describe.skipIf(why)(`metalbox in tmux${skipNote(why)}`, () => {
  it('paints, shows the first start, and quits giving the terminal back', async () => {
    const entry = join(repo, 'test/demo/support/metalbox.ts');
    const port = (base: number) => base + Math.floor(Math.random() * 5000);
    const sets = ['http.port', 'tftp.port', 'talos.eventsPort', 'talos.kernelLogPort'].map((k, i) => `--set ${k}=${port(30000 + i * 5000)}`).join(' ');
    const cmd = `cd ${repo} && TERM=xterm-256color node --import tsx ${entry} --data-dir ${dir} --set dhcp.mode=off ${sets}; echo MBX-EXIT=$?; sleep 600`;
    tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', cmd);
    await until((s) => s.includes('first start') && s.includes('Metalbox'), 'the first start page', 90_000);
    tmux('send-keys', '-t', session, 'Escape');
    await until((s) => /servers\[0\]/.test(s), 'the servers view');
    tmux('send-keys', '-t', session, 'q');
    await until((s) => s.includes('Stop Metalbox and quit?'), 'the quit question');
    tmux('send-keys', '-t', session, 'y');
    const after = await until((s) => s.includes('MBX-EXIT='), 'metalbox to exit', 30_000);
    expect(after).toContain('MBX-EXIT=0');
    expect(after).not.toContain('servers[0]');
    expect(tmux('display-message', '-p', '-t', session, '#{alternate_on}').trim()).toBe('0');
  }, 180_000);

  it('stops cleanly when its terminal goes away (the pane killed, an ssh session dropped)', async () => {
    const gone = `${session}-gone`;
    const data = join(dir, 'gone');
    const entry = join(repo, 'test/demo/support/metalbox.ts');
    const port = (base: number) => base + Math.floor(Math.random() * 5000);
    const sets = ['http.port', 'tftp.port', 'talos.eventsPort', 'talos.kernelLogPort'].map((k, i) => `--set ${k}=${port(30000 + i * 5000)}`).join(' ');
    tmux('new-session', '-d', '-s', gone, '-x', '100', '-y', '30', `cd ${repo} && TERM=xterm-256color exec node --import tsx ${entry} --data-dir ${data} --set dhcp.mode=off ${sets}`);
    await until((s) => s.includes('first start'), 'the console to paint', 90_000, gone);
    const pid = Number(readFileSync(join(data, 'metalbox.lock'), 'utf8').trim());
    expect(pid).toBeGreaterThan(0);
    tmux('kill-session', '-t', gone);
    // It notices, stops its services and exits: no process left writing to a dead terminal.
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const end = Date.now() + 20_000;
    while (alive() && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    const still = alive();
    if (still) process.kill(pid, 'SIGKILL');
    expect(still, 'metalbox still running 20 s after its terminal went away').toBe(false);
    expect(existsSync(join(data, 'metalbox.lock'))).toBe(false);
    expect(readFileSync(join(data, 'console.log'), 'utf8')).toMatch(/(terminal (closed|failed)|received SIGHUP)/);
  }, 180_000);
});
