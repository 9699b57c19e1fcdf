import { afterEach, describe, expect, it } from 'vitest';
import { server, startConsole, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const MANUAL = '4c4c4544-0042-3510-8050-b4c04f00d001';
const BARE = '4c4c4544-0042-3510-8050-b4c04f00d002';

async function rack(): Promise<Harness> {
  return startConsole({
    seed: async (app) => {
      const manual = server(MANUAL, { accepted: true, hostname: 'by-hand' }) as unknown as { metadata: { annotations?: Record<string, string> } };
      manual.metadata.annotations = { 'metalbox.dev/power-driver': 'manual' };
      await app.store.create(manual as never);
      await app.store.create(server(BARE, { accepted: true, hostname: 'no-bmc' }));
    },
  });
}

describe('power', () => {
  it('offers the actions a server can take, and says why the others are not there', async () => {
    h = await rack();
    await h.press('j', 'p'); // no-bmc
    expect(h.text()).toContain('power server 4c4c4544-004…');
    await h.press('o');
    expect(h.text()).toMatch(/power on: no BMC: set spec\.bmc/);
    // The whole reason, wrapped inside the menu, not cut short.
    expect(h.text()).toContain('annotation');
    await h.press('\x1b');
    expect(h.text()).not.toContain('power server');
  });

  it('powers on through the driver; the manual driver asks the operator on the flash line', async () => {
    h = await rack();
    await h.press('p', 'o');
    await h.waitFor((t) => t.includes('ACTION NEEDED: power on server 4c4c4544-0042-3510-8050-b4c04f00d001'));
    const actions = h.app.events.recent(50).filter((r) => r.event.type === 'power.action');
    expect(actions.some((r) => r.event.type === 'power.action' && r.event.action === 'on' && r.event.server === MANUAL)).toBe(true);
    // The row's activity says what was done last, and the server's timeline has it with its time.
    await h.waitFor(() => /power on via manual/.test(h!.line('by-hand') ?? ''));
    await h.press('\r', '2');
    expect(h.text()).toMatch(/\d\d:\d\d:\d\d\s+power\s+on via manual/);
  });
});
