import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedfishDriver, type RedfishDriverOptions } from '../../src/power/redfish/driver.js';
import { isMetalboxError } from '../../src/util/errors.js';
import { RedfishBmc } from './support/redfish-bmc.js';

const USER = 'root';
const PASSWORD = `calvin-${process.pid}`;

async function failure(p: Promise<unknown>): Promise<{ code: string; text: string }> {
  try {
    await p;
  } catch (e) {
    if (isMetalboxError(e)) return { code: e.code, text: `${e.message}\n${e.hint ?? ''}` };
    throw e;
  }
  throw new Error('expected a failure');
}

describe('Redfish driver against an HTTPS BMC in the DMTF mockup shapes', () => {
  const bmc = new RedfishBmc({ user: USER, password: PASSWORD });
  // Same name, same shapes, its own certificate.
  const impostor = new RedfishBmc({ user: USER, password: PASSWORD });
  const limited = new RedfishBmc({ user: USER, password: PASSWORD, resetTypes: ['On', 'ForceOff'] });
  let silent: TcpServer;
  let silentPort = 0;
  const held: Socket[] = [];
  const drivers: RedfishDriver[] = [];
  const driver = (over: Partial<RedfishDriverOptions> = {}): RedfishDriver => {
    const d = new RedfishDriver({ baseUrl: bmc.url, user: USER, password: PASSWORD, tls: { mode: 'trust-on-first-use' }, timeoutMs: 3000, ...over });
    drivers.push(d);
    return d;
  };

  beforeAll(async () => {
    await Promise.all([bmc.start(), impostor.start(), limited.start()]);
    // Accepts TCP and never says a word: a BMC whose web server hangs.
    silent = createTcpServer((s) => held.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    silentPort = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    await Promise.all(drivers.map((d) => d.close().catch(() => undefined)));
    for (const s of held) s.destroy();
    silent?.close();
    await Promise.all([bmc.stop(), impostor.stop(), limited.stop()]);
  });

  it('pins the certificate on first use and drives power through ComputerSystem.Reset in one session', async () => {
    const pinned: string[] = [];
    const d = driver({ onPinned: (fp) => pinned.push(fp) });
    bmc.power = 'Off';
    expect(await d.status()).toBe('off');
    expect(pinned).toEqual([bmc.fingerprint]);
    await d.on();
    expect(bmc.power).toBe('On');
    expect(await d.status()).toBe('on');
    await d.cycle();
    await d.soft();
    expect(bmc.power).toBe('Off');
    await d.off();
    expect(bmc.resets).toEqual(['On', 'ForceRestart', 'GracefulShutdown', 'ForceOff']);
    expect(bmc.logins).toBe(1);
    expect(bmc.requests.filter((r) => !r.startsWith('GET /redfish/v1/ ') && r !== 'GET /redfish/v1/' && !r.startsWith('POST /redfish/v1/SessionService')).every((r) => r.endsWith('+token'))).toBe(true);
    await d.close();
    expect(bmc.sessions.size).toBe(0);
  });

  it('sets the boot override to PXE or disk, once or continuous, in UEFI or legacy mode', async () => {
    const d = driver({ tls: { mode: 'pinned', fingerprint: bmc.fingerprint } });
    await d.setBootDevice('pxe', { uefi: true });
    expect(bmc.boot).toEqual({ BootSourceOverrideTarget: 'Pxe', BootSourceOverrideEnabled: 'Once', BootSourceOverrideMode: 'UEFI' });
    await d.setBootDevice('disk', { persistent: true });
    expect(bmc.boot).toEqual({ BootSourceOverrideTarget: 'Hdd', BootSourceOverrideEnabled: 'Continuous', BootSourceOverrideMode: 'UEFI' });
    await d.setBootDevice('pxe', { uefi: false });
    expect(bmc.boot).toEqual({ BootSourceOverrideTarget: 'Pxe', BootSourceOverrideEnabled: 'Once', BootSourceOverrideMode: 'Legacy' });
  });

  it('refuses a BMC whose certificate is not the pinned one, before sending anything', async () => {
    const d = driver({ baseUrl: impostor.url, tls: { mode: 'pinned', fingerprint: bmc.fingerprint } });
    const f = await failure(d.on());
    expect(f.code).toBe('POWER_CERT_MISMATCH');
    expect(f.text).toContain(impostor.fingerprint);
    expect(f.text).toContain('metalbox.dev/bmc-cert-sha256');
    expect(impostor.requests).toEqual([]);
    expect(impostor.passwordsSeen).toEqual([]);
    expect(impostor.power).toBe('Off');
  });

  it('accepts the pin in plain hex, and any certificate only when checking is turned off', async () => {
    const hex = bmc.fingerprint.replace(/:/g, '').toLowerCase();
    expect(await driver({ tls: { mode: 'pinned', fingerprint: hex } }).status()).toMatch(/^(on|off)$/);
    const pinned: string[] = [];
    const loose = driver({ baseUrl: impostor.url, tls: { mode: 'insecure' }, onPinned: (fp) => pinned.push(fp) });
    expect(await loose.status()).toBe('off');
    expect(pinned).toEqual([]);
  });

  it('reports a wrong password as an authentication failure without the password', async () => {
    const f = await failure(driver({ password: 'hunter2-wrong' }).status());
    expect(f.code).toBe('POWER_AUTH_FAILED');
    expect(f.text).not.toContain('hunter2-wrong');
  });

  it('logs in again when the BMC dropped the session', async () => {
    const d = driver();
    await d.status();
    const before = bmc.logins;
    bmc.sessions.clear();
    expect(await d.status()).toMatch(/^(on|off)$/);
    expect(bmc.logins).toBe(before + 1);
  });

  it('says a reset type the BMC does not offer is unsupported', async () => {
    const d = driver({ baseUrl: limited.url });
    await d.on();
    const f = await failure(d.cycle());
    expect(f.code).toBe('POWER_UNSUPPORTED');
    expect(f.text).toContain('On, ForceOff');
    expect(limited.resets).toEqual(['On']);
  });

  it('gives up on an unreachable or silent BMC within the bound', async () => {
    const closed = await failure(driver({ baseUrl: 'https://127.0.0.1:1' }).status());
    expect(closed.code).toBe('POWER_UNREACHABLE');
    const t0 = Date.now();
    const f = await failure(driver({ baseUrl: `https://127.0.0.1:${silentPort}`, timeoutMs: 1000 }).status());
    expect(f.code).toBe('POWER_UNREACHABLE');
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});
