import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annotations, type Server } from '../../src/api/index.js';

const { BMC_CERT_SHA256, POWER_DRIVER } = annotations;
import { PowerController } from '../../src/power/index.js';
import { STATE_FILE } from '../../src/store/index.js';
import { isMetalboxError } from '../../src/util/errors.js';
import { missing, skipNote } from '../support/needs.js';
import { Rig, secret, server, testSettings, until } from './support/fixtures.js';
import { IpmiSim } from './support/ipmi-sim.js';
import { RedfishBmc } from './support/redfish-bmc.js';

const PASSWORD = `s3cret-${process.pid}-Xy`;
const creds = {
  userFrom: { secretKeyRef: { namespace: 'default', name: 'bmc-creds', key: 'user' } },
  passFrom: { secretKeyRef: { namespace: 'default', name: 'bmc-creds', key: 'pass' } },
};

const why = missing('bin:ipmi_sim', 'bin:ipmitool');
describe.skipIf(why)(`power controller with a real store, ipmi_sim and a Redfish BMC${skipNote(why)}`, () => {
  const sim = new IpmiSim({ user: 'admin', password: PASSWORD, power: '0' });
  const bmc = new RedfishBmc({ user: 'admin', password: PASSWORD });
  const slow = new RedfishBmc({ user: 'admin', password: PASSWORD, delayMs: 150 });
  const rig = new Rig();
  let ctl: PowerController;

  beforeAll(async () => {
    await Promise.all([sim.start(), bmc.start(), slow.start(), rig.open()]);
    const s = rig.store;
    await s.create(server('ipmi-1', { bmc: { endpoint: '127.0.0.1', port: sim.port, ...creds }, pxeMode: 'uefi' }));
    await s.create(server('redfish-1', { bmc: { endpoint: bmc.url, ...creds } }, { [POWER_DRIVER]: 'redfish' }));
    await s.create(server('redfish-bad', { bmc: { endpoint: bmc.url, user: 'admin', pass: 'wrong-pass' } }, { [POWER_DRIVER]: 'redfish' }));
    await s.create(server('later', { bmc: { endpoint: '127.0.0.1', port: sim.port, ...creds, passFrom: { secretKeyRef: { namespace: 'default', name: 'later-creds', key: 'pass' } } } }));
    await s.create(server('by-hand', { hostname: 'rack2-u7' }, { [POWER_DRIVER]: 'manual' }));
    await s.create(server('nothing'));
    await s.create(secret('bmc-creds', { user: 'admin', pass: PASSWORD }));
    ctl = new PowerController({ store: s, settings: testSettings(), events: rig.events });
    await ctl.start();
  });
  afterAll(async () => {
    await ctl?.stop();
    await Promise.all([sim.stop(), bmc.stop(), slow.stop()]);
    await rig.close();
  });

  it('polls power into status.power, pins the Redfish certificate, and explains what it cannot read', async () => {
    // The event follows the durable write of status.power.
    await until(() => /power ipmi-1 is off/.test(rig.transcript()) && /power redfish-1 is off/.test(rig.transcript()), 5000, 'first poll');
    expect(rig.power('ipmi-1')).toBe('off');
    expect(rig.power('redfish-1')).toBe('off');
    await until(() => rig.store.get<Server>('Server', 'redfish-1')?.metadata.annotations?.[BMC_CERT_SHA256] !== undefined, 3000, 'pin');
    expect(rig.store.get<Server>('Server', 'redfish-1')!.metadata.annotations![BMC_CERT_SHA256]).toBe(bmc.fingerprint);
    await until(() => /power redfish-bad is unknown/.test(rig.transcript()) && /power later is unknown/.test(rig.transcript()), 5000, 'unknowns');
    expect(rig.power('redfish-bad')).toBe('unknown');
    const text = rig.transcript();
    expect(text).toMatch(/power redfish-bad is unknown: BMC 127\.0\.0\.1:\d+ \(redfish\) refused the user name or password/);
    expect(text).toMatch(/power later is unknown: server later: .*Secret default\/later-creds, which does not exist/);
  });

  it('follows the BMC: a change behind its back shows within a poll', async () => {
    sim.setPower(true);
    await until(() => rig.power('ipmi-1') === 'on', 3000, 'poll sees on');
    sim.setPower(false);
    await until(() => rig.power('ipmi-1') === 'off', 3000, 'poll sees off');
  });

  it('boots a server into PXE (once, UEFI per spec.pxeMode) and powers it on, then reads the state at once', async () => {
    sim.clearCalls();
    const r = await ctl.act('ipmi-1', 'pxe');
    expect(r.steps).toEqual(['boot pxe once uefi', 'on']);
    expect(sim.state()).toMatchObject({ power: 'on', boot: 'pxe' });
    await until(() => rig.power('ipmi-1') === 'on', 5000, 'immediate poll');
    const again = await ctl.act('ipmi-1', 'pxe');
    expect(again.steps).toEqual(['boot pxe once uefi', 'cycle']);
    expect(sim.state().calls).toEqual(['set boot pxe', 'set power 1', 'set boot pxe', 'set power 0']);
    expect(rig.transcript()).toMatch(/power pxe ipmi-1 via ipmi: ok/);
  });

  it('picks up a Secret created later', async () => {
    await rig.store.create(secret('later-creds', { pass: PASSWORD }));
    await until(() => rig.power('later') !== 'unknown', 3000, 'later resolved');
  });

  it('asks the operator for servers driven by hand, and refuses for servers without a driver', async () => {
    await ctl.act('by-hand', 'on');
    expect(rig.transcript()).toContain('ACTION NEEDED: power on server by-hand (rack2-u7) now');
    let err: unknown;
    await ctl.act('nothing', 'cycle').catch((e: unknown) => (err = e));
    expect(isMetalboxError(err, 'POWER_UNSUPPORTED') && err.hint).toMatch(/metalbox\.dev\/power-driver/);
    expect(rig.transcript()).toMatch(/power cycle nothing via none: failed/);
  });

  it('never lets the BMC password into events or the state file', async () => {
    await ctl.act('redfish-1', 'on');
    expect(bmc.power).toBe('On');
    await rig.opened.store.flushed();
    expect(rig.transcript()).not.toContain(PASSWORD);
    expect(rig.transcript()).not.toContain('wrong-pass');
    const state = readFileSync(join(rig.dir, STATE_FILE), 'utf8');
    expect(state).not.toContain(PASSWORD);
  });

  it('says how to install ipmitool when it is missing', async () => {
    const path = process.env['PATH'];
    process.env['PATH'] = '/nonexistent-dir';
    const c = new PowerController({ store: rig.store, settings: testSettings(), events: rig.events });
    try {
      let err: unknown;
      await c.act('ipmi-1', 'status').catch((e: unknown) => (err = e));
      expect(isMetalboxError(err, 'POWER_TOOL_MISSING') && err.hint).toMatch(/apt-get install ipmitool/);
    } finally {
      process.env['PATH'] = path;
      await c.stop();
    }
  });

  it('talks to at most power.maxConcurrent BMCs at once', async () => {
    const rig2 = await new Rig().open();
    try {
      await rig2.store.create(secret('bmc-creds', { user: 'admin', pass: PASSWORD }));
      for (let i = 0; i < 12; i++) {
        await rig2.store.create(server(`rack-${i}`, { bmc: { endpoint: slow.url, ...creds } }, { [POWER_DRIVER]: 'redfish' }));
      }
      const c2 = new PowerController({ store: rig2.store, settings: testSettings({ maxConcurrent: 3, pollInterval: 60 }), events: rig2.events });
      await c2.start();
      try {
        await until(() => Array.from({ length: 12 }, (_, i) => rig2.power(`rack-${i}`)).every((p) => p === 'off'), 10_000, 'all polled');
        await Promise.all(Array.from({ length: 12 }, (_, i) => c2.act(`rack-${i}`, 'on')));
        expect(slow.resets.length).toBe(12);
        expect(slow.maxInflight).toBe(3);
      } finally {
        await c2.stop();
      }
    } finally {
      await rig2.close();
    }
  });
});
