import { createSocket, type Socket } from 'node:dgram';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IpmiDriver, type IpmiDriverOptions } from '../../src/power/ipmi/driver.js';
import { findIpmitool } from '../../src/power/ipmi/ipmitool.js';
import { isMetalboxError } from '../../src/util/errors.js';
import { missing, skipNote } from '../support/needs.js';
import { IpmiSim } from './support/ipmi-sim.js';
import { UdpTap } from './support/udp-tap.js';

const USER = 'metal';
const PASSWORD = `pw-${process.pid}-Zq7`;

async function failure(p: Promise<unknown>): Promise<{ code: string; text: string }> {
  try {
    await p;
  } catch (e) {
    if (isMetalboxError(e)) return { code: e.code, text: `${e.message}\n${e.hint ?? ''}` };
    throw e;
  }
  throw new Error('expected a failure');
}

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await sleep(50);
  }
  return cond();
}

const why = missing('bin:ipmi_sim', 'bin:ipmitool');
describe.skipIf(why)(`IPMI driver against OpenIPMI ipmi_sim${skipNote(why)}`, () => {
  const sim = new IpmiSim({ user: USER, password: PASSWORD, power: '0' });
  let blackHole: Socket;
  let blackHolePort = 0;
  const driver = (over: Partial<IpmiDriverOptions> = {}, target: Partial<IpmiDriverOptions['target']> = {}): IpmiDriver =>
    new IpmiDriver({
      target: { host: '127.0.0.1', port: sim.port, user: USER, password: PASSWORD, interface: 'lanplus', ...target },
      timeoutMs: 5000,
      cipherSuite: 17,
      fallbackCipherSuite: 3,
      ...over,
    });

  beforeAll(async () => {
    await sim.start();
    // A BMC address that swallows every packet: what a powered-off or misaddressed BMC looks like.
    blackHole = createSocket('udp4');
    await new Promise<void>((r) => blackHole.bind(0, '127.0.0.1', r));
    blackHolePort = blackHole.address().port;
  });
  afterAll(async () => {
    blackHole?.close();
    await sim.stop();
  });

  it('reads the power state and powers on, off, cycles and shuts down softly', async () => {
    const d = driver({ cipherSuite: 3 });
    sim.setPower(false);
    expect(await d.status()).toBe('off');
    await d.on();
    expect(sim.state().power).toBe('on');
    expect(await d.status()).toBe('on');
    await d.off();
    expect(sim.state().power).toBe('off');
    expect(await d.status()).toBe('off');

    sim.setPower(true);
    sim.clearCalls();
    await d.cycle();
    // ipmi_sim cuts power at once and restores it after one second.
    expect(sim.state().calls[0]).toBe('set power 0');
    expect(await until(() => sim.state().power === 'on', 4000)).toBe(true);
    expect(sim.state().calls).toEqual(['set power 0', 'set power 1']);

    sim.clearCalls();
    await d.soft();
    expect(sim.state().calls).toEqual(['set shutdown 1']);
  });

  it('sets the next boot device to PXE or disk', async () => {
    const d = driver({ cipherSuite: 3 });
    await d.setBootDevice('pxe', { uefi: true });
    expect(sim.state().boot).toBe('pxe');
    await d.setBootDevice('disk', { persistent: true });
    // ipmi_sim maps the "force boot from default hard drive" selector to its "default" device.
    expect(sim.state().boot).toBe('default');
    await d.setBootDevice('pxe');
    expect(sim.state().boot).toBe('pxe');
  });

  it('sends the EFI and persistent boot flags on the wire', async () => {
    // ipmi_sim hands its chassis hook only the device, so the flags are read from the packets themselves:
    // with cipher suite 0 (no integrity, no encryption) the Set System Boot Options request is in clear.
    const tap = new UdpTap(sim.port);
    await tap.start();
    try {
      const d = driver({ cipherSuite: 0, fallbackCipherSuite: 0 }, { port: tap.port });
      // Set System Boot Options (cmd 0x08), parameter 5 (boot flags), then the flags and device selector.
      const request = (flags: number, device: number) => [0x08, 0x05, flags, device, 0x00, 0x00, 0x00];
      await d.setBootDevice('pxe', { uefi: true });
      expect(tap.sawBytes(request(0xa0, 0x04))).toBe(true);
      await d.setBootDevice('disk', { uefi: true, persistent: true });
      expect(tap.sawBytes(request(0xe0, 0x08))).toBe(true);
      await d.setBootDevice('pxe', { uefi: false });
      expect(tap.sawBytes(request(0x80, 0x04))).toBe(true);
      expect(tap.sawBytes(request(0xc0, 0x04))).toBe(false);
      expect(sim.state().boot).toBe('pxe');
    } finally {
      tap.stop();
    }
  });

  it('also speaks IPMI 1.5 (interface lan)', async () => {
    sim.setPower(true);
    expect(await driver({}, { interface: 'lan' }).status()).toBe('on');
  });

  it('falls back to the second cipher suite when the BMC refuses the first, without the 10 s probe', async () => {
    const d = driver({ cipherSuite: 17, fallbackCipherSuite: 3 });
    const t0 = Date.now();
    sim.setPower(true);
    expect(await d.status()).toBe('on');
    expect(d.cipherSuite).toBe(3);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(await d.check()).toMatch(/^device id /);
  });

  it('reports a wrong password as an authentication failure, without the password', async () => {
    const d = driver({ cipherSuite: 3 }, { password: 'not-the-password' });
    const f = await failure(d.status());
    expect(f.code).toBe('POWER_AUTH_FAILED');
    expect(f.text).toContain('127.0.0.1');
    expect(f.text).not.toContain('not-the-password');
    const u = await failure(driver({ cipherSuite: 3 }, { user: 'nobody' }).on());
    expect(u.code).toBe('POWER_AUTH_FAILED');
    expect(sim.state().calls).not.toContain('set power 1');
  });

  it('times out on a silent address within the configured bound', async () => {
    const d = driver({ timeoutMs: 1500 }, { port: blackHolePort });
    const t0 = Date.now();
    const f = await failure(d.status());
    const took = Date.now() - t0;
    expect(f.code).toBe('POWER_UNREACHABLE');
    expect(f.text).toMatch(/check the BMC address/);
    expect(took).toBeGreaterThanOrEqual(1400);
    expect(took).toBeLessThan(2500);
  });

  it('never puts the password on the command line of ipmitool', async () => {
    const d = driver({ timeoutMs: 2500 }, { port: blackHolePort });
    const running = d.status().catch(() => undefined);
    const seen: string[] = [];
    const end = Date.now() + 2000;
    while (Date.now() < end && seen.length === 0) {
      for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
        try {
          const status = readFileSync(`/proc/${pid}/status`, 'utf8');
          if (!new RegExp(`^PPid:\\s+${process.pid}$`, 'm').test(status)) continue;
          const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
          if (cmdline.includes('ipmitool')) seen.push(cmdline);
        } catch {
          // the process ended while we looked
        }
      }
      await sleep(20);
    }
    await running;
    expect(seen.length).toBeGreaterThan(0);
    for (const c of seen) {
      expect(c).toContain(`-p ${blackHolePort}`);
      expect(c).not.toContain(PASSWORD);
    }
  });

  it('says how to install ipmitool when it is missing', async () => {
    const gone = (() => {
      try {
        findIpmitool('ipmitool', '/nonexistent-dir');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(isMetalboxError(gone, 'POWER_TOOL_MISSING') && gone.hint).toMatch(/apt-get install ipmitool/);
    const f = await failure(driver({ bin: '/nonexistent-dir/ipmitool' }).status());
    expect(f.code).toBe('POWER_TOOL_MISSING');
    expect(findIpmitool()).toMatch(/ipmitool$/);
  });
});
