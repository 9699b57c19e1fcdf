import { describe, expect, it } from 'vitest';
import { EventBus } from '../../src/events/index.js';
import { lazyService, ServiceSet, type Service } from '../../src/services.js';

function recorder(log: string[], name: 'http' | 'events-sink' | 'kernel-log', late = false, delay = 0): Service {
  return {
    name,
    ...(late ? { late } : {}),
    start: async () => {
      log.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, delay));
      log.push(`up ${name}`);
    },
    stop: async () => void log.push(`stop ${name}`),
    describe: () => `${name} ok`,
  };
}

describe('services', () => {
  it('late services start after the rest, and a lazy one loads only when it starts', async () => {
    const events = new EventBus();
    const log: string[] = [];
    const set = new ServiceSet(events);
    let loads = 0;
    set.add(lazyService('events-sink', async () => (loads++, recorder(log, 'events-sink')), { late: true }));
    set.add(recorder(log, 'http'));
    expect(loads).toBe(0);
    await set.startAll();
    expect(log).toEqual(['start http', 'up http']);
    expect(loads).toBe(0);
    expect(set.status().find((s) => s.name === 'events-sink')?.state).toBe('stopped');
    await set.startLate();
    expect(loads).toBe(1);
    expect(set.status().find((s) => s.name === 'events-sink')).toEqual({ name: 'events-sink', state: 'running', detail: 'events-sink ok' });
    await set.stopAll();
    expect(log.slice(-2)).toEqual(['stop http', 'stop events-sink']);
    events.close();
  });

  it('stopping while late services are starting waits for them, then stops everything that runs', async () => {
    const events = new EventBus();
    const log: string[] = [];
    const set = new ServiceSet(events);
    set.add(recorder(log, 'http'));
    set.add(recorder(log, 'events-sink', true, 50));
    set.add(recorder(log, 'kernel-log', true));
    await set.startAll();
    const late = set.startLate();
    await set.stopAll();
    await late;
    // The sink that was starting finished and was stopped; the kernel log receiver never started.
    expect(log).toEqual(['start http', 'up http', 'start events-sink', 'up events-sink', 'stop events-sink', 'stop http']);
    events.close();
  });
});
