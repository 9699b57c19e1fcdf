import { describe, expect, it } from 'vitest';
import { annotations, type Resource } from '../../src/api/index.js';
import { EventBus } from '../../src/events/index.js';
import { driverNameOf, powerDriverFor, redfishBaseUrl, type DriverContext } from '../../src/power/index.js';
import { isMetalboxError } from '../../src/util/errors.js';
import { secret, server, testSettings } from './support/fixtures.js';

const A = annotations;

function ctx(objects: Resource[] = []): DriverContext {
  return {
    store: { get: ((kind: string, name: string, ns?: string) =>
      objects.find((o) => o.kind === kind && o.metadata.name === name && (o.metadata.namespace ?? 'default') === (ns ?? 'default'))) as DriverContext['store']['get'] },
    settings: testSettings(),
    events: new EventBus(),
    ipmitool: '/usr/bin/ipmitool',
    provisioning: () => ({ address: '10.77.0.1', broadcast: '10.77.0.255' }),
  };
}

function problem(fn: () => unknown): { code: string; text: string } {
  try {
    fn();
  } catch (e) {
    if (isMetalboxError(e)) return { code: e.code, text: `${e.message}\n${e.hint ?? ''}` };
    throw e;
  }
  throw new Error('expected a failure');
}

const ref = (name: string, key: string) => ({ secretKeyRef: { namespace: 'default', name, key } });

describe('choosing a Server\'s power driver', () => {
  it('uses IPMI for spec.bmc as Sidero does, with credentials from a Secret', () => {
    const s = server('a', { bmc: { endpoint: '10.0.0.25', userFrom: ref('a-bmc', 'user'), passFrom: ref('a-bmc', 'pass') } });
    expect(driverNameOf(s)).toBe('ipmi');
    const d = powerDriverFor(s, ctx([secret('a-bmc', { user: 'admin', pass: 'p' })]));
    expect(d.name).toBe('ipmi');
    expect(d.target).toBe('BMC 10.0.0.25:623 (ipmi lanplus)');
    const lan = powerDriverFor(server('b', { bmc: { endpoint: 'bmc-b', port: 6230, user: 'u', pass: 'p', interface: 'lan' } }), ctx());
    expect(lan.target).toBe('BMC bmc-b:6230 (ipmi lan)');
  });

  it('says what is wrong with the credentials or the interface', () => {
    const missingSecret = server('c', { bmc: { endpoint: '10.0.0.3', user: 'admin', passFrom: ref('nope', 'pass') } });
    const p1 = problem(() => powerDriverFor(missingSecret, ctx()));
    expect(p1.code).toBe('POWER_CONFIG_INVALID');
    expect(p1.text).toContain('Secret default/nope, which does not exist');
    const p2 = problem(() => powerDriverFor(missingSecret, ctx([secret('nope', { password: 'x' })])));
    expect(p2.text).toContain('has no key "pass"');
    const open = problem(() => powerDriverFor(server('d', { bmc: { endpoint: 'x', interface: 'open' } }), ctx()));
    expect(open.text).toMatch(/use lanplus/);
  });

  it('chooses the other drivers by annotation', () => {
    const rf = server('e', { bmc: { endpoint: 'idrac-e.lab', port: 623, user: 'root', pass: 'calvin' } }, { [A.POWER_DRIVER]: 'redfish' });
    expect(powerDriverFor(rf, ctx()).target).toBe('BMC idrac-e.lab (redfish)');
    const wol = powerDriverFor(server('f', { hardware: { network: { interfaces: [{ name: 'eth0', mac: '52:54:00:aa:bb:cc' }] } } }, { [A.POWER_DRIVER]: 'wol' }), ctx());
    expect(wol.target).toBe('Wake-on-LAN to 52:54:00:aa:bb:cc via 10.77.0.255');
    expect(powerDriverFor(server('g', {}, { [A.POWER_DRIVER]: 'qemu', [A.QEMU_QMP]: 'unix:/run/vm-g.qmp' }), ctx()).target).toBe('QEMU unix:/run/vm-g.qmp');
    expect(powerDriverFor(server('h', {}, { [A.POWER_DRIVER]: 'manual' }), ctx()).name).toBe('manual');
    expect(powerDriverFor(server('i'), ctx()).name).toBe('none');
    expect(powerDriverFor(server('j', { bmc: { endpoint: '10.0.0.9' } }, { [A.POWER_DRIVER]: 'none' }), ctx()).name).toBe('none');
  });

  it('refuses an annotation that cannot work', () => {
    expect(problem(() => driverNameOf(server('k', {}, { [A.POWER_DRIVER]: 'smoke-signals' }))).text).toContain('ipmi, redfish, wol, qemu, manual, none');
    expect(problem(() => powerDriverFor(server('l', {}, { [A.POWER_DRIVER]: 'qemu' }), ctx())).text).toContain(A.QEMU_QMP);
    expect(problem(() => powerDriverFor(server('m', {}, { [A.POWER_DRIVER]: 'wol' }), ctx())).text).toContain(A.WOL_MAC);
    expect(problem(() => powerDriverFor(server('n', {}, { [A.POWER_DRIVER]: 'redfish' }), ctx())).text).toContain('spec.bmc.endpoint');
    const http = server('o', { bmc: { endpoint: 'http://bmc-o', user: 'u', pass: 'p' } }, { [A.POWER_DRIVER]: 'redfish' });
    expect(problem(() => powerDriverFor(http, ctx())).text).toContain('HTTPS only');
  });

  it('builds the Redfish address from spec.bmc', () => {
    expect(redfishBaseUrl('10.0.0.7', 623)).toBe('https://10.0.0.7');
    expect(redfishBaseUrl('10.0.0.7', 8443)).toBe('https://10.0.0.7:8443');
    expect(redfishBaseUrl('https://bmc.lab:8443/redfish/v1', undefined)).toBe('https://bmc.lab:8443');
    expect(redfishBaseUrl('fd00::7', undefined)).toBe('https://[fd00::7]');
  });
});

