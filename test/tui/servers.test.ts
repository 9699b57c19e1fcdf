import { afterEach, describe, expect, it } from 'vitest';
import type { Server } from '../../src/api/index.js';
import { KEY, server, startConsole, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const A = '4c4c4544-0042-3510-8050-b4c04f000001';
const B = '4c4c4544-0042-3510-8050-b4c04f000002';
const C = '9f0e1d2c-0000-4000-8000-00000000000c';

async function seeded(extra: Parameters<typeof startConsole>[0] = {}): Promise<Harness> {
  return startConsole({
    ...extra,
    seed: async (app) => {
      await app.store.create(server(A, { hostname: 'alpha', hardware: { compute: { totalCoreCount: 16 }, memory: { totalSize: '64 GB' } } }, { rack: 'r1' }));
      await app.store.create(server(B, { accepted: true, hostname: 'bravo' }, { rack: 'r2' }));
      await app.store.create(server(C, { accepted: true, cordoned: true, hostname: 'charlie' }, { rack: 'r1' }));
    },
  });
}

describe('servers view', () => {
  it('lists servers with their states, counts them in the header and shows the hints of the view', async () => {
    h = await seeded();
    expect(h.line('alpha')).toMatch(/new/);
    expect(h.line('bravo')).toMatch(/available/);
    expect(h.line('charlie')).toMatch(/cordoned/);
    expect(h.text()).toMatch(/Servers 3 · 1 new · 1 available · 1 cordoned/);
    expect(h.text()).toMatch(/<a>\s+accept/);
    expect(h.text()).toMatch(/<ctrl-d>\s+delete/);
    expect(h.text()).toMatch(/servers\[3\]/);
  });

  it('accepts the selected server through the operation, and the row changes in place', async () => {
    h = await seeded();
    await h.press('a');
    await h.waitFor(() => /alpha.*available/.test(h!.line('alpha') ?? ''));
    expect(h.app.store.get<Server>('Server', A)?.spec?.accepted).toBe(true);
    expect(h.text()).toMatch(/accepted server 4c4c4544-004…/);
  });

  it('says why an action is disabled instead of doing nothing', async () => {
    h = await seeded();
    await h.press('j'); // bravo: accepted already
    await h.press('a');
    expect(h.text()).toContain('accept: already accepted');
    await h.press('u');
    expect(h.text()).toContain('uncordon: not cordoned');
  });

  it('cordons and uncordons', async () => {
    h = await seeded();
    await h.press('j', 'c');
    await h.waitFor((t) => /bravo.*cordoned/.test(t));
    expect(h.app.store.get<Server>('Server', B)?.spec?.cordoned).toBe(true);
    await h.press('u');
    await h.waitFor((t) => /bravo.*available/.test(t));
  });

  it('keeps the selection on the same server while the list changes around it', async () => {
    h = await seeded();
    await h.press('j'); // bravo
    expect(h.line('bravo')).toBeDefined();
    // A server sorting before bravo appears; the selection must stay on bravo.
    await h.app.store.create(server('00000000-aaaa-4000-8000-000000000000', { hostname: 'zero' }));
    await h.settle();
    await h.press('a'); // would accept the selected one: bravo is accepted, so this is refused
    expect(h.text()).toContain('accept: already accepted');
    await h.press('c');
    await h.waitFor(() => h!.app.store.get<Server>('Server', B)?.spec?.cordoned === true);
    expect(h.app.store.get<Server>('Server', '00000000-aaaa-4000-8000-000000000000')?.spec?.cordoned).toBeUndefined();
  });

  it('marks changed cells while they are fresh', async () => {
    h = await seeded();
    await h.app.store.mutate<Server>('Server', C, undefined, (s) => void (s.spec!.cordoned = false));
    await h.settle();
    // The STATE cell of charlie is drawn in the changed colour: check blessed's attribute on that cell.
    const c = h.console as unknown as { term: { snapshot(): string[] } };
    expect(c.term.snapshot().find((l) => l.includes('charlie'))).toMatch(/available/);
  });

  it('filters by text, inverted, and by label; esc clears the filter', async () => {
    h = await seeded();
    await h.press('/');
    await h.type('alp');
    expect(h.text()).toContain('alpha');
    expect(h.text()).not.toContain('bravo');
    await h.press(KEY.enter);
    expect(h.text()).toMatch(/servers\[1\/3\] <\/alp>/);
    await h.press('/', KEY.ctrlSpace);
    await h.press(...'\x15'.split('')); // ctrl-u clears the line
    await h.type('!alp');
    await h.press(KEY.enter);
    expect(h.text()).not.toContain('alpha');
    expect(h.text()).toContain('bravo');
    await h.press('/', '\x15');
    await h.type('-l rack=r1');
    await h.press(KEY.enter);
    expect(h.text()).toContain('alpha');
    expect(h.text()).toContain('charlie');
    expect(h.text()).not.toContain('bravo');
    await h.press(KEY.esc);
    expect(h.text()).toMatch(/servers\[3\]/);
  });

  it('keeps a half-typed bad label filter in the prompt with the reason', async () => {
    h = await seeded();
    await h.press('/');
    await h.type('-l rack in (');
    await h.press(KEY.enter);
    expect(h.text()).toMatch(/label filter:/);
    expect(h.text()).toContain('/-l rack in (');
  });

  it('sorts by the next column, and reverses', async () => {
    h = await seeded();
    const order = () => ['alpha', 'bravo', 'charlie'].sort((x, y) => h!.screen().findIndex((l) => l.includes(x)) - h!.screen().findIndex((l) => l.includes(y)));
    expect(order()).toEqual(['alpha', 'bravo', 'charlie']);
    await h.press('s'); // HOSTNAME
    expect(h.text()).toMatch(/HOSTNAME↑/);
    await h.press('S');
    expect(h.text()).toMatch(/HOSTNAME↓/);
    expect(order()).toEqual(['charlie', 'bravo', 'alpha']);
  });

  it('labels a server, keeping what was typed when the labels are refused', async () => {
    h = await seeded();
    await h.press('l');
    expect(h.text()).toContain('rack=r1');
    await h.type(' bad!key=1');
    await h.press(KEY.enter);
    // the prompt stays, with the text
    expect(h.text()).toContain('rack=r1 bad!key=1');
    for (let i = 0; i < ' bad!key=1'.length; i++) await h.press(KEY.backspace);
    await h.type(' zone=a');
    await h.press(KEY.enter);
    await h.waitFor(() => h!.app.store.get<Server>('Server', A)?.metadata.labels?.zone === 'a');
    expect(h.app.store.get<Server>('Server', A)?.metadata.labels).toEqual({ rack: 'r1', zone: 'a' });
  });

  it('deletes marked servers after a confirmation that counts them, hidden ones included', async () => {
    h = await seeded();
    await h.press(KEY.space, KEY.space); // mark alpha and bravo
    await h.press('/');
    await h.type('charlie');
    await h.press(KEY.enter, KEY.ctrlD);
    expect(h.text()).toContain('Delete 2 servers');
    expect(h.text()).toContain('2 of them hidden by the filter');
    await h.press('n');
    expect(h.app.store.get('Server', A)).toBeDefined();
    await h.press(KEY.ctrlD, 'y');
    await h.waitFor(() => !h!.app.store.get('Server', A) && !h!.app.store.get('Server', B));
    expect(h.app.store.get('Server', C)).toBeDefined();
  });
});
