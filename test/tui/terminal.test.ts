import { afterEach, describe, expect, it } from 'vitest';
import { chooseTerminal, EXTENDED_TERMINFO_MAGIC, LEGACY_TERMINFO_MAGIC } from '../../src/tui/terminal.js';
import { width } from '../../src/tui/text.js';
import { KEY, server, startConsole, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('terminal choice', () => {
  const magic = (table: Record<string, number>) => (term: string) => table[term];
  it('uses a legacy-format entry as it is', () => {
    expect(chooseTerminal('xterm-256color', {}, magic({ 'xterm-256color': LEGACY_TERMINFO_MAGIC })).terminal).toBe('xterm-256color');
    expect(chooseTerminal('linux', {}, magic({ linux: LEGACY_TERMINFO_MAGIC })).terminal).toBe('linux');
  });
  it("maps ncurses 6 extended entries to blessed's bundled ones", () => {
    for (const t of ['xterm-256color', 'tmux-256color', 'screen-256color']) {
      const c = chooseTerminal(t, {}, magic({ [t]: EXTENDED_TERMINFO_MAGIC }));
      expect(c.terminal).toBe('xterm-256color');
      expect(c.why).toContain('extended terminfo format');
    }
    expect(chooseTerminal('screen', {}, magic({ screen: EXTENDED_TERMINFO_MAGIC })).terminal).toBe('xterm');
    expect(chooseTerminal('linux-16color', {}, magic({})).terminal).toBe('linux');
    expect(chooseTerminal(undefined, {}, magic({})).terminal).toBe('xterm');
    expect(chooseTerminal('weird', { COLORTERM: 'truecolor' }, magic({})).terminal).toBe('xterm-256color');
  });
});

describe('the console on each terminal', () => {
  for (const [term, colors, glyph] of [
    ['xterm-256color', 256, '●'],
    ['tmux-256color', 256, '●'],
    ['screen-256color', 256, '●'],
    ['linux', 8, '*'],
    ['xterm', 8, '●'],
  ] as const) {
    it(`starts and renders under TERM=${term} without writing to stderr`, async () => {
      const written: string[] = [];
      const orig = process.stderr.write.bind(process.stderr);
      process.stderr.write = ((c: string | Uint8Array) => (written.push(String(c)), true)) as typeof process.stderr.write;
      try {
        h = await startConsole({ term, env: { ...process.env, TERM: term }, start: true });
      } finally {
        process.stderr.write = orig;
      }
      expect(written.join('')).toBe('');
      expect(h.console.term.colors).toBe(colors);
      expect(h.text()).toMatch(/Metalbox/);
      expect(h.text()).toMatch(new RegExp(`HTTP ${glyph.replace('*', '\\*')} :\\d+`));
      expect(h.text()).toMatch(/servers\[0\]/);
    });
  }
});

describe('layout', () => {
  it('survives resizing from wide to narrow and back', async () => {
    h = await startConsole({ cols: 200, rows: 50, seed: async (app) => void (await app.store.create(server('4c4c4544-0042-3510-8050-b4c04f000001', { hostname: 'resized' }))) });
    expect(h.text()).toContain('┌┬┐┌─┐┌┬┐'); // the logo fits at 200 columns
    expect(h.screen()[6]).toHaveLength(200);
    for (const [c, r] of [[80, 24], [60, 20], [40, 12], [120, 40]] as const) {
      await h.resize(c, r);
      const lines = h.screen();
      expect(lines.length).toBe(r);
      expect(lines.every((l) => width(l) <= c)).toBe(true);
      expect(h.text()).toContain('resized');
      if (r >= 18) expect(h.text()).toMatch(/Metalbox/);
    }
    expect(h.text()).not.toContain('┌┬┐┌─┐┌┬┐');
    await h.press('j', 'k');
    expect(h.text()).toContain('resized');
  });

  it('keeps columns aligned with wide characters in names', async () => {
    h = await startConsole({
      cols: 120,
      seed: async (app) => {
        // The store's own validation would refuse this name; an object loaded from disk is shown as it is.
        app.store.load({ schemaVersion: 1, resourceVersion: 5, objects: [server('服务器-01', { hostname: '机器一号' }), server('server-02', { hostname: 'ascii' }), server('サーバ-03', { hostname: 'サーバー' })] as never });
      },
    });
    const rows = h.screen().filter((l) => /服务器-01|server-02|サーバ-03/.test(l));
    expect(rows).toHaveLength(3);
    const stateCol = (l: string) => width(l.slice(0, l.search(/new|invalid/)));
    const cols = rows.map(stateCol);
    expect(new Set(cols).size).toBe(1);
    await h.press(KEY.enter);
    expect(h.text()).toMatch(/server 服务器-01|server server-02|server サーバ-03/);
  });

  it('shows an invalid object as invalid, and the rest of the console keeps working', async () => {
    h = await startConsole({
      seed: async (app) => {
        app.store.load({ schemaVersion: 1, resourceVersion: 9, objects: [server('bad-one', { accepted: 'maybe', hardware: { compute: 'not a map' } }), server('good-one', { accepted: true })] as never });
        await app.store.create({ apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', metadata: { name: 'odd', namespace: 'default' } } as never).catch(() => undefined);
      },
    });
    expect(h.line('bad-one')).toMatch(/invalid/);
    expect(h.line('good-one')).toMatch(/available/);
    expect(h.text()).toMatch(/1 invalid/);
    await h.press(KEY.enter); // bad-one sorts first
    expect(h.text()).toMatch(/State\s+invalid/);
    await h.press(KEY.esc, ':');
    await h.type('clusters');
    await h.press(KEY.enter);
    expect(h.text()).toMatch(/clusters\[\d\]/);
  });
});

describe('keys', () => {
  it('reads esc typed right before a letter as two keys, not as Alt+letter', async () => {
    const { splitMeta } = await import('../../src/tui/vendor.js');
    expect(splitMeta(undefined, { name: 'j', meta: true, full: 'M-j' })).toEqual([{ name: 'escape' }, { name: 'j', ch: 'j' }]);
    expect(splitMeta(undefined, { name: 'g', meta: true, shift: true, full: 'M-S-g' })).toEqual([{ name: 'escape' }, { name: 'G', ch: 'G' }]);
    expect(splitMeta(undefined, { name: 'escape', meta: true, full: 'M-escape' })).toEqual([{ name: 'escape' }, { name: 'escape' }]);
    expect(splitMeta('\r', { name: 'return', full: 'return' })).toEqual([]);
    expect(splitMeta(' ', { name: 'space', full: 'space' })).toEqual([{ name: 'space', ch: ' ' }]);
    expect(splitMeta(undefined, { name: 'd', ctrl: true, full: 'C-d' })).toEqual([{ name: 'C-d' }]);
  });

  it('takes esc and a letter arriving in one read as esc, then the letter', async () => {
    h = await startConsole({ seed: async (app) => void (await app.store.create(server('4c4c4544-0042-3510-8050-b4c04f00f00d', { hostname: 'meta' }))) });
    await h.press(KEY.enter);
    expect(h.text()).toContain('server 4c4c4544-004…');
    await h.press('\x1bj'); // back to the list, then down
    expect(h.text()).toMatch(/servers\[1\]/);
  });
});
