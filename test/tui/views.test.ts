import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Cluster, Server, ServerClass } from '../../src/api/index.js';
import { KEY, server, startConsole, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const S1 = '4c4c4544-0042-3510-8050-b4c04f00c001';

describe('command line and navigation', () => {
  it('completes view names, switches views, and keeps an unknown command in the prompt with the reason', async () => {
    h = await startConsole();
    await h.press(':');
    await h.type('cl');
    expect(h.text()).toContain(':classes');
    await h.press(KEY.tab, KEY.enter);
    expect(h.text()).toMatch(/classes\[\d+\]/);
    await h.press(':');
    await h.type('clu');
    await h.press(KEY.enter);
    expect(h.text()).toMatch(/clusters\[0\]/);
    await h.press(':');
    await h.type('xyz');
    await h.press(KEY.enter);
    expect(h.text()).toContain('no view or command "xyz"');
    expect(h.text()).toContain(':xyz');
    await h.press(KEY.esc, ':');
    await h.type('ev');
    await h.press(KEY.enter);
    expect(h.text()).toMatch(/events\[\d+\]/);
  });

  it('shows breadcrumbs and goes back with esc', async () => {
    h = await startConsole({ seed: async (app) => void (await app.store.create(server(S1, { hostname: 'crumb' }))) });
    await h.press(KEY.enter);
    const bottom = h.screen().filter((l) => l.trim()).at(-1) ?? '';
    expect(h.text()).toMatch(/ servers\s+server 4c4c4544-004…\s*$/m);
    expect(bottom.length).toBeGreaterThan(0);
    await h.press(KEY.esc);
    expect(h.text()).toMatch(/servers\[1\]/);
    expect(h.text()).not.toMatch(/server 4c4c4544-004…\s*$/m);
  });

  it('lists every key of the view in ? help, with the reason a key is disabled now', async () => {
    h = await startConsole({ rows: 70, seed: async (app) => void (await app.store.create(server(S1, { accepted: true }))) });
    await h.press('?');
    const t = h.text();
    expect(t).toContain('This view');
    expect(t).toContain('General');
    expect(t).toContain('Moving around');
    expect(t).toMatch(/a\s+accept the server\(s\)/);
    expect(t).toContain('not now: already accepted');
    expect(t).toMatch(/ctrl-d\s+delete the server/);
    await h.press(KEY.esc);
    expect(h.text()).toMatch(/servers\[1\]/);
  });
});

describe('resource views', () => {
  it('environments: shows whether each is ready and why not', async () => {
    h = await startConsole({ start: true });
    await h.press(':');
    await h.type('env');
    await h.press(KEY.enter);
    expect(h.text()).toMatch(/environments\[\d+\]/);
    expect(h.line(/^\s*│\s+default\s/)).toMatch(/not ready/);
  });

  it('events: newest first, live, filterable, and enter opens the server', async () => {
    h = await startConsole({ seed: async (app) => void (await app.store.create(server(S1))) });
    await h.press(':');
    await h.type('events');
    await h.press(KEY.enter);
    h.app.events.emit({ type: 'boot.ipxe', server: S1, decision: 'park', detail: 'not accepted yet' });
    h.app.events.emit({ type: 'dhcp.dropped', from: '10.1.1.1', reason: 'too short for BOOTP' });
    await h.settle();
    const rows = h.screen();
    const park = rows.findIndex((l) => l.includes('iPXE 4c4c4544…: park'));
    const drop = rows.findIndex((l) => l.includes('DHCP dropped'));
    expect(park).toBeGreaterThan(0);
    expect(drop).toBeGreaterThan(0);
    expect(drop).toBeLessThan(park);
    // At 80 columns the subject is short and the message says what happened.
    await h.resize(80, 24);
    expect(h.line('iPXE 4c4c4544…')).toMatch(/4c4c4544-0042-35.*not accepted yet/);
    await h.resize(100, 30);
    await h.press('/');
    await h.type('iPXE');
    await h.press(KEY.enter);
    expect(h.text()).not.toContain('DHCP dropped');
    await h.press(KEY.enter);
    expect(h.text()).toContain('server 4c4c4544-004…');
  });

  it('classes: created from a short form; a server put into it by label shows among its servers', async () => {
    h = await startConsole({ start: true, seed: async (app) => void (await app.store.create(server(S1, { accepted: true, hostname: 'member' }))) });
    await h.press(':');
    await h.type('classes');
    await h.press(KEY.enter, 'n');
    await h.press(KEY.enter);
    expect(h.text()).toContain('a class needs a name');
    await h.type('gpu');
    await h.press(KEY.enter);
    await h.waitFor(() => !!h!.app.store.get<ServerClass>('ServerClass', 'gpu'));
    expect(h.app.store.get<ServerClass>('ServerClass', 'gpu')?.spec?.selector?.matchLabels).toEqual({ 'metalbox.dev/class': 'gpu' });
    await h.press(':');
    await h.type('servers');
    await h.press(KEY.enter, 'C');
    expect(h.text()).toContain('class for server 4c4c4544-004…');
    await h.press('j', KEY.enter); // "any" is first, then "gpu"
    await h.waitFor(() => h!.app.store.get<Server>('Server', S1)?.metadata.labels?.['metalbox.dev/class'] === 'gpu');
    await h.press(':');
    await h.type('classes');
    await h.press(KEY.enter);
    await h.waitFor((t) => /gpu\s+1\s+0/.test(t));
    await h.press('j', KEY.enter);
    expect(h.text()).toMatch(/class gpu\[1\]/);
    expect(h.text()).toContain('member');
  });
});

describe('clusters', () => {
  it('are created from a short form that keeps what was typed when it is refused, then scaled and deleted', async () => {
    h = await startConsole({ start: true });
    await h.press(':');
    await h.type('clusters');
    await h.press(KEY.enter, 'n');
    await h.type('prod');
    await h.press(KEY.enter);
    expect(h.text()).toContain('needs a control plane endpoint');
    expect(h.text()).toMatch(/name\s+prod/);
    await h.press(KEY.down);
    await h.type('10.5.0.10');
    await h.press(KEY.down, KEY.down, '\x15'); // ctrl-u clears the field
    await h.type('nosuchclass');
    await h.press(KEY.enter);
    expect(h.text()).toContain('server class "nosuchclass" not found');
    expect(h.text()).toMatch(/endpoint\s+10\.5\.0\.10/);
    await h.press('\x15');
    await h.type('any');
    await h.press(KEY.enter);
    await h.waitFor(() => !!h!.app.store.get<Cluster>('Cluster', 'prod', 'default'));
    await h.waitFor((t) => /prod\s+\S+\s+0\/1\s+0\/0/.test(t));
    await h.press('+');
    await h.waitFor((t) => /prod\s+\S+\s+0\/1\s+0\/1/.test(t));
    await h.press('-');
    expect(h.text()).toContain('Scale workers of prod from 1 to 0?');
    await h.press('y');
    await h.waitFor((t) => /prod\s+\S+\s+0\/1\s+0\/0/.test(t));
    await h.press(KEY.ctrlD);
    expect(h.text()).toMatch(/This removes 1 Cluster, \d+ Machines? and their configs/);
    await h.press('y');
    await h.waitFor(() => !h!.app.store.get<Cluster>('Cluster', 'prod', 'default'));
  });

  it('claim an accepted server, show it on the cluster page, and save talosconfig and kubeconfig to files', async () => {
    h = await startConsole({ start: true, cols: 120, seed: async (app) => void (await app.store.create(server(S1, { accepted: true, hostname: 'cp-node' }))) });
    await h.press(':');
    await h.type('clusters');
    await h.press(KEY.enter, 'n');
    await h.type('lab');
    await h.press(KEY.down);
    await h.type('10.5.0.20');
    await h.press(KEY.enter);
    await h.waitFor(() => !!h!.app.store.get('ServerBinding', S1), 30_000);
    await h.press(KEY.enter);
    await h.waitFor((t) => /control plane\s+\S+\s+4c4c4544-0042-3510-8050-b4c04f00c001/.test(t));
    expect(h.text()).toMatch(/cluster lab\[1\]/);
    expect(h.text()).toMatch(/<\+>\s+add control plane\s/); // the hint in full where the header has room
    await h.press('T');
    expect(h.text()).toContain(join(h.dataDir, 'lab-talosconfig'));
    await h.press(KEY.enter);
    await h.waitFor((t) => t.includes('wrote talosconfig of lab'), 60_000);
    const file = join(h.dataDir, 'lab-talosconfig');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain('context: lab');
    await h.press('K', KEY.enter);
    await h.waitFor((t) => t.includes('wrote kubeconfig of lab'), 60_000);
    expect(readFileSync(join(h.dataDir, 'lab-kubeconfig'), 'utf8')).toContain('current-context');
    await h.press(KEY.enter);
    expect(h.text()).toContain('server 4c4c4544-004…');
  }, 120_000);
});
