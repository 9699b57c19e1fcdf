import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annotations, type Server } from '../../src/api/index.js';
import { PowerController } from '../../src/power/index.js';
import { lifecycleStep, type LifecycleInput } from '../../src/power/lifecycle.js';
import { ALL_CAPABILITIES, NO_CAPABILITIES } from '../../src/power/types.js';
import { Rig, secret, server, testSettings, until } from './support/fixtures.js';
import { RedfishBmc } from './support/redfish-bmc.js';

const base = (over: Partial<LifecycleInput> = {}, status: Server['status'] = {}, spec: Partial<NonNullable<Server['spec']>> = {}): LifecycleInput => ({
  server: { ...server('s', spec), status } as Server,
  mode: 'full',
  driver: 'ipmi',
  capabilities: ALL_CAPABILITIES,
  power: 'on',
  last: undefined,
  now: 1_000_000,
  ...over,
});

describe('the lifecycle step (pure)', () => {
  it('boots an allocated server that is off into PXE, and leaves one that is on (it is parked and will ask)', () => {
    expect(lifecycleStep(base({ power: 'off' }, { inUse: true }))?.action).toBe('pxe');
    expect(lifecycleStep(base({ power: 'on' }, { inUse: true }))).toBeUndefined();
  });

  it('cycles a released, dirty server into the wipe, and powers it on when off', () => {
    expect(lifecycleStep(base({ power: 'on' }, { inUse: false, isClean: false }))?.action).toBe('pxe');
    expect(lifecycleStep(base({ power: 'off' }, { inUse: false, isClean: false }))?.action).toBe('pxe');
  });

  it('powers an idle clean server off only in full mode', () => {
    expect(lifecycleStep(base({}, { isClean: true }))?.action).toBe('off');
    expect(lifecycleStep(base({ mode: 'boot-only' }, { isClean: true }))).toBeUndefined();
    expect(lifecycleStep(base({ mode: 'off', power: 'off' }, { inUse: true }))).toBeUndefined();
  });

  it('does nothing for servers not accepted, cordoned, driven by hand, or with unknown power', () => {
    expect(lifecycleStep(base({ power: 'off' }, { inUse: true }, { accepted: false }))).toBeUndefined();
    expect(lifecycleStep(base({ power: 'off' }, { inUse: true }, { cordoned: true }))).toBeUndefined();
    expect(lifecycleStep(base({ power: 'off', driver: 'manual' }, { inUse: true }))).toBeUndefined();
    expect(lifecycleStep(base({ power: 'unknown' }, { inUse: true }))).toBeUndefined();
  });

  it('takes a step once per phase, again only after the retry time (an operator is not fought)', () => {
    const last = { phase: 'idle' as const, action: 'off' as const, at: 999_000 };
    expect(lifecycleStep(base({ last, now: 10_000_000_000 }, { isClean: true }))).toBeUndefined();
    const install = { phase: 'install' as const, action: 'pxe' as const, at: 1_000_000 };
    expect(lifecycleStep(base({ power: 'off', last: install, now: 1_000_000 + 60_000 }, { inUse: true }))).toBeUndefined();
    expect(lifecycleStep(base({ power: 'off', last: install, now: 1_000_000 + 5 * 60_000 }, { inUse: true }))?.action).toBe('pxe');
  });

  it('Wake-on-LAN (no state to read) wakes an allocated or dirty server once', () => {
    const wol = { driver: 'wol' as const, capabilities: { ...NO_CAPABILITIES, on: true }, power: 'unknown' as const };
    expect(lifecycleStep(base(wol, { inUse: true }))?.action).toBe('on');
    expect(lifecycleStep(base(wol, { isClean: false }))?.action).toBe('on');
    expect(lifecycleStep(base(wol, { isClean: true }))).toBeUndefined();
  });
});

describe('the power controller drives the lifecycle through a real Redfish BMC', () => {
  const PASSWORD = `s3cret-${process.pid}-Lc`;
  const bmc = new RedfishBmc({ user: 'admin', password: PASSWORD });
  const rig = new Rig();
  let ctl: PowerController;
  const name = 'lifecycle-1';
  const get = () => rig.store.get<Server>('Server', name)!;
  const setStatus = (st: NonNullable<Server['status']>) =>
    rig.store.mutate<Server>('Server', name, undefined, (s) => {
      s.status = { ...s.status, ...st };
    });

  beforeAll(async () => {
    await Promise.all([bmc.start(), rig.open()]);
    bmc.power = 'On';
    await rig.store.create(secret('bmc-lc', { user: 'admin', pass: PASSWORD }));
    await rig.store.create(
      server(
        name,
        {
          bmc: {
            endpoint: bmc.url,
            userFrom: { secretKeyRef: { namespace: 'default', name: 'bmc-lc', key: 'user' } },
            passFrom: { secretKeyRef: { namespace: 'default', name: 'bmc-lc', key: 'pass' } },
          },
        },
        { [annotations.POWER_DRIVER]: 'redfish' },
      ),
    );
    ctl = new PowerController({ store: rig.store, settings: testSettings({ lifecycle: 'full' }), events: rig.events });
    await ctl.start();
  });
  afterAll(async () => {
    await ctl?.stop();
    await bmc.stop();
    await rig.close();
  });

  it('powers an accepted, clean, idle server off, once: switched back on by hand, it stays on', async () => {
    await until(() => bmc.power === 'Off', 15_000, 'the idle server powered off');
    expect(rig.seen.some((r) => r.event.type === 'power.lifecycle' && r.event.action === 'off')).toBe(true);
    bmc.power = 'On';
    await until(() => get().status?.power === 'on', 15_000, 'the hand-made power on seen');
    await new Promise((r) => setTimeout(r, 2500)); // two more polls
    expect(bmc.power).toBe('On');
  });

  it('allocated while off: PXE once, then on', async () => {
    bmc.power = 'Off';
    await until(() => get().status?.power === 'off', 15_000, 'off seen');
    bmc.resets = [];
    await setStatus({ inUse: true, isClean: false });
    await until(() => bmc.power === 'On', 15_000, 'the allocated server powered on');
    expect(bmc.boot).toMatchObject({ BootSourceOverrideTarget: 'Pxe', BootSourceOverrideEnabled: 'Once' });
  });

  it('released and dirty while on: PXE once, then restarted into the wipe', async () => {
    bmc.resets = [];
    bmc.boot = { ...bmc.boot, BootSourceOverrideTarget: 'None', BootSourceOverrideEnabled: 'Disabled' };
    await setStatus({ inUse: false, isClean: false });
    await until(() => bmc.resets.length > 0, 15_000, 'the wipe restart');
    expect(bmc.boot.BootSourceOverrideTarget).toBe('Pxe');
    expect(bmc.power).toBe('On');
    const steps = rig.seen.filter((r) => r.event.type === 'power.lifecycle').map((r) => (r.event as { why: string }).why);
    expect(steps.at(-1)).toMatch(/wipe/);
  });
});
