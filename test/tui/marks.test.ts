import { afterEach, describe, expect, it } from 'vitest';
import type { Server } from '../../src/api/index.js';
import { KEY, server, startConsole, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('marks', () => {
  it('accepts every marked server with one key', async () => {
    h = await startConsole({
      seed: async (app) => {
        for (let i = 1; i <= 5; i++) await app.store.create(server(`00000000-0000-4000-8000-00000000000${i}`, { hostname: `n${i}` }));
      },
    });
    await h.press(KEY.space, KEY.space, KEY.space);
    expect(h.text()).toContain('3 marked');
    await h.press('a');
    await h.waitFor(() => h!.app.store.list<Server>('Server').filter((s) => s.spec?.accepted).length === 3);
    expect(h.text()).toContain('accepted 3 servers');
    expect(h.app.store.list<Server>('Server').filter((s) => s.spec?.accepted).map((s) => s.spec?.hostname).sort()).toEqual(['n1', 'n2', 'n3']);
  });
});
