import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { PowerLimiter } from '../../src/power/limiter.js';

describe('power limiter', () => {
  it('runs at most max operations at once, in arrival order, and one per server', async () => {
    const lim = new PowerLimiter(3);
    let now = 0;
    let peak = 0;
    const perServer = new Map<string, number>();
    const started: string[] = [];
    const job = (server: string, id: string) =>
      lim.run(server, async () => {
        started.push(id);
        now++;
        peak = Math.max(peak, now);
        perServer.set(server, (perServer.get(server) ?? 0) + 1);
        expect(perServer.get(server)).toBe(1);
        await sleep(20);
        perServer.set(server, perServer.get(server)! - 1);
        now--;
        return id;
      });
    const jobs = Array.from({ length: 12 }, (_, i) => job(`s${i % 6}`, `j${i}`));
    expect(lim.active).toBe(0); // nothing has started synchronously
    const results = await Promise.all(jobs);
    expect(results).toEqual(jobs.map((_, i) => `j${i}`));
    expect(peak).toBe(3);
    expect(started.slice(0, 3)).toEqual(['j0', 'j1', 'j2']);
    expect(lim.active).toBe(0);
    expect(lim.waiting).toBe(0);
  });

  it('keeps going after a failure, and a failed operation does not hold its server', async () => {
    const lim = new PowerLimiter(1);
    const bad = lim.run('a', async () => {
      throw new Error('boom');
    });
    const good = lim.run('a', async () => 'ok');
    await expect(bad).rejects.toThrow('boom');
    await expect(good).resolves.toBe('ok');
    expect(() => new PowerLimiter(0)).toThrow(/positive/);
  });
});
