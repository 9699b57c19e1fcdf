import { describe, expect, it } from 'vitest';
import { listIpv4Interfaces, parseDefaultRoutes, pickProvisioningInterface, type Ipv4Interface } from '../../src/dhcp/index.js';
import { isMetalboxError } from '../../src/util/errors.js';

const PROC_NET_ROUTE = `Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0
wlan0\t0001A8C0\t00000000\t0001\t0\t0\t600\t00FFFFFF\t0\t0\t0
enp3s0\t00004D0A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
`;

type OsIfaces = Parameters<typeof listIpv4Interfaces>[0];
const nic = (address: string, netmask: string, mac = '02:00:00:00:00:01') => ({ address, netmask, family: 'IPv4' as const, mac, internal: false, cidr: null });

const OS: OsIfaces = {
  lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }],
  wlan0: [nic('192.168.1.20', '255.255.255.0')],
  enp3s0: [nic('10.77.0.1', '255.255.255.0'), { address: 'fe80::1', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '02:00:00:00:00:02', internal: false, cidr: null, scopeid: 2 }],
  docker0: [nic('172.17.0.1', '255.255.0.0')],
};

describe('interfaces', () => {
  it('finds the default route in /proc/net/route', () => {
    expect([...parseDefaultRoutes(PROC_NET_ROUTE)]).toEqual(['wlan0']);
  });

  it('lists IPv4 interfaces with prefix, broadcast and the default-route mark, without loopback', () => {
    const list = listIpv4Interfaces(OS, parseDefaultRoutes(PROC_NET_ROUTE));
    expect(list.map((i) => [i.interface, i.address, i.prefix, i.broadcast, i.defaultRoute, i.virtual])).toEqual([
      ['docker0', '172.17.0.1', 16, '172.17.255.255', false, true],
      ['enp3s0', '10.77.0.1', 24, '10.77.0.255', false, false],
      ['wlan0', '192.168.1.20', 24, '192.168.1.255', true, false],
    ]);
  });

  it('lists this machine\'s real interfaces', () => {
    const list = listIpv4Interfaces();
    for (const i of list) expect(i.network).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(list.some((i) => i.address === '127.0.0.1')).toBe(false);
  });
});

describe('provisioning interface choice', () => {
  const list = listIpv4Interfaces(OS, parseDefaultRoutes(PROC_NET_ROUTE));
  const only = (names: string[]) => list.filter((i) => names.includes(i.interface));
  const pick = (l: Ipv4Interface[], want: Partial<{ interface: string; address: string; mode: 'proxy' | 'full' | 'off' }>) =>
    pickProvisioningInterface(l, { interface: '', address: '', mode: 'proxy', ...want });
  const fails = (f: () => unknown, msg: RegExp) => {
    try {
      f();
    } catch (e) {
      expect(isMetalboxError(e, 'NO_PROVISIONING_INTERFACE')).toBe(true);
      expect((e as Error).message).toMatch(msg);
      return;
    }
    throw new Error('expected an error');
  };

  it.each<[string, Ipv4Interface[], Partial<{ interface: string; address: string; mode: 'proxy' | 'full' | 'off' }>, string]>([
    ['the configured interface wins', list, { interface: 'enp3s0' }, 'enp3s0'],
    ['the configured address names its interface', list, { address: '10.77.0.1', mode: 'full' }, 'enp3s0'],
    ['proxy: the home network (default route)', list, { mode: 'proxy' }, 'wlan0'],
    ['off: like proxy', list, { mode: 'off' }, 'wlan0'],
    ['full: the isolated network (no default route), never docker0', list, { mode: 'full' }, 'enp3s0'],
    ['proxy without any default route: first physical by name', only(['enp3s0', 'docker0']), { mode: 'proxy' }, 'enp3s0'],
  ])('%s', (_n, l, want, name) => {
    expect(pick(l, want).chosen.interface).toBe(name);
  });

  it('full mode refuses when the only network is the home network', () => {
    fails(() => pick(only(['wlan0', 'docker0']), { mode: 'full' }), /every interface carries the default route/);
  });

  it('full mode refuses to guess between two isolated networks', () => {
    const two = [...list, { ...list[1]!, interface: 'enp4s0', address: '10.88.0.1' }];
    fails(() => pick(two, { mode: 'full' }), /several interfaces .* enp3s0, enp4s0/);
  });

  it('names what exists when the configured interface has no address', () => {
    fails(() => pick(list, { interface: 'eth9' }), /eth9 has no IPv4 address \(found: docker0 172\.17\.0\.1\/16/);
  });
});
