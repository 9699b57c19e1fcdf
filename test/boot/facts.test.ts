import { describe, expect, it } from 'vitest';
import type { Server } from '../../src/api/index.js';
import { factsQuery, hardwareFromFacts, hexNumber, identify, machineArch, parseBootFacts, serverMacs, type BootFacts } from '../../src/boot/index.js';

/** A query as iPXE's boot.ipxe sends it (uristring and hex types). */
const IPXE_QUERY =
  'uuid=4C4C4544-0035-5910-8057-B3C04F4B4D32&mac=52-54-00-12-34-56&macs=52-54-00-12-34-56,52-54-00-ab-cd-ef,&nic=net0&arch=i386&platform=pcbios' +
  '&manufacturer=Metalbox%20Labs&product=Rack%20Unit%201&serial=SN-0042&asset=AT-7&version=v2&sku=SKU-9&family=Lab%20Family' +
  '&board-serial=BS-1&cpu-manufacturer=GenuineMetal&cpu-version=Metal%20CPU%20%40%203.0GHz&cpu-cores=08&cpu-threads=10&cpu-speed=b8:0b' +
  '&chip=82540em&busid=01:80:86:10:0e&hostname=&domain=';

function facts(q = IPXE_QUERY): BootFacts {
  const r = parseBootFacts(new URLSearchParams(q));
  if (!r.ok) throw new Error(r.reason);
  return r.facts;
}

describe('facts from the /ipxe query', () => {
  it('reads what iPXE reports, normalised', () => {
    const f = facts();
    expect(f.uuid).toBe('4c4c4544-0035-5910-8057-b3c04f4b4d32');
    expect(f.mac).toBe('52:54:00:12:34:56');
    expect(f.macs).toEqual(['52:54:00:12:34:56', '52:54:00:ab:cd:ef']);
    expect(f.system).toEqual({ manufacturer: 'Metalbox Labs', productName: 'Rack Unit 1', version: 'v2', serialNumber: 'SN-0042', skuNumber: 'SKU-9', family: 'Lab Family' });
    expect(f.cpu).toEqual({ manufacturer: 'GenuineMetal', version: 'Metal CPU @ 3.0GHz', coreCount: 8, threadCount: 16, speed: 3000 });
    expect([f.assetTag, f.boardSerial, f.nicChip, f.buildarch, f.platform, f.nic]).toEqual(['AT-7', 'BS-1', '82540em', 'i386', 'pcbios', 'net0']);
  });

  it('refuses a query without a MAC, and drops what is not a UUID', () => {
    expect(parseBootFacts(new URLSearchParams('uuid=x'))).toEqual({ ok: false, reason: 'the mac parameter is missing or not a MAC address' });
    expect(facts('mac=52:54:00:12:34:56&uuid=not-a-uuid').uuid).toBe('');
    expect(facts('mac=52:54:00:12:34:56').macs).toEqual(['52:54:00:12:34:56']);
  });

  it('strips control characters and cuts long values', () => {
    const f = facts(`mac=52:54:00:12:34:56&manufacturer=${encodeURIComponent('Evil\n#!ipxe\rshell')}&serial=${'x'.repeat(500)}`);
    expect(f.system.manufacturer).toBe('Evil#!ipxeshell');
    expect(f.system.serialNumber).toHaveLength(128);
  });

  it('reads SMBIOS numbers little-endian from iPXE\'s hex form; 0 and 0xff mean unknown', () => {
    expect(hexNumber('08')).toBe(8);
    expect(hexNumber('b8:0b')).toBe(3000);
    expect(hexNumber('00')).toBeUndefined();
    expect(hexNumber('ff')).toBeUndefined();
    expect(hexNumber('zz')).toBeUndefined();
    expect(hexNumber('')).toBeUndefined();
  });

  it('factsQuery carries the same facts (the park script asks again with it)', () => {
    const f = facts();
    expect(facts(factsQuery(f))).toEqual(f);
  });

  it('maps iPXE build architectures to Environment architectures', () => {
    expect(['i386', 'x86_64', 'arm64', 'arm32', ''].map(machineArch)).toEqual(['amd64', 'amd64', 'arm64', undefined, 'amd64']);
  });
});

describe('hardware in Sidero\'s shape', () => {
  it('fills system, the first processor and the NICs', () => {
    const hw = hardwareFromFacts(facts());
    expect(hw.system).toEqual({
      uuid: '4c4c4544-0035-5910-8057-b3c04f4b4d32',
      manufacturer: 'Metalbox Labs',
      productName: 'Rack Unit 1',
      version: 'v2',
      serialNumber: 'SN-0042',
      skuNumber: 'SKU-9',
      family: 'Lab Family',
    });
    expect(hw.compute?.processors).toEqual([{ manufacturer: 'GenuineMetal', productName: 'Metal CPU @ 3.0GHz', coreCount: 8, threadCount: 16, speed: 3000 }]);
    expect(hw.network).toEqual({ interfaceCount: 2, interfaces: [{ index: 0, mac: '52:54:00:12:34:56' }, { index: 1, mac: '52:54:00:ab:cd:ef' }] });
  });

  it('refreshes on every boot and keeps what iPXE cannot see', () => {
    const before = { memory: { totalSize: '32 GB' }, network: { interfaces: [{ mac: '52:54:00:12:34:56', name: 'eth0', addresses: ['10.0.0.5/24'] }] } };
    const hw = hardwareFromFacts(facts(IPXE_QUERY.replace('SN-0042', 'SN-NEW')), before);
    expect(hw.system?.serialNumber).toBe('SN-NEW');
    expect(hw.memory).toEqual({ totalSize: '32 GB' });
    expect(hw.network?.interfaces?.[0]).toEqual({ mac: '52:54:00:12:34:56', name: 'eth0', addresses: ['10.0.0.5/24'], index: 0 });
    expect(serverMacs(hw)).toEqual(['52:54:00:12:34:56', '52:54:00:ab:cd:ef']);
  });
});

describe('identity', () => {
  const known = (name: string, macs: string[]): Server => ({
    apiVersion: 'metal.sidero.dev/v1alpha2',
    kind: 'Server',
    metadata: { name },
    spec: { accepted: false, hardware: { network: { interfaces: macs.map((mac) => ({ mac })) } } },
  });
  const none = () => undefined;

  it('names a machine by its lowercase SMBIOS UUID', () => {
    expect(identify(facts(), none)).toEqual({ name: '4c4c4544-0035-5910-8057-b3c04f4b4d32', byMac: false });
  });

  it.each([
    ['00000000-0000-0000-0000-000000000000', 'placeholder'],
    ['FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', 'placeholder'],
    ['03000200-0400-0500-0006-000700080009', 'placeholder'],
    ['', 'no usable SMBIOS UUID'],
  ])('does not trust UUID %s: known by the first NIC\'s MAC', (uuid, why) => {
    const id = identify(facts(IPXE_QUERY.replace('4C4C4544-0035-5910-8057-B3C04F4B4D32', uuid)), none);
    expect(id.name).toBe('52-54-00-12-34-56');
    expect(id.byMac).toBe(true);
    expect(id.reason).toContain(why);
  });

  it('a UUID already seen with other MACs belongs to another machine', () => {
    const other = known('4c4c4544-0035-5910-8057-b3c04f4b4d32', ['aa:aa:aa:aa:aa:aa']);
    const id = identify(facts(), (n) => (n === other.metadata.name ? other : undefined));
    expect(id).toMatchObject({ name: '52-54-00-12-34-56', byMac: true });
    expect(id.reason).toContain('aa:aa:aa:aa:aa:aa');
  });

  it('the same machine booting from its second NIC is still itself', () => {
    const me = known('4c4c4544-0035-5910-8057-b3c04f4b4d32', ['52:54:00:ab:cd:ef']);
    expect(identify(facts(), (n) => (n === me.metadata.name ? me : undefined)).byMac).toBe(false);
  });
});
