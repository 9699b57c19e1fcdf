import { describe, expect, it } from 'vitest';
import {
  clientArchitectures,
  clientMac,
  decodePacket,
  decodeSubOptions,
  encodePacket,
  getIp,
  getString,
  messageType,
  OPT,
  parameterRequestList,
  userClasses,
  type DhcpPacket,
} from '../../src/dhcp/index.js';
import { fixture, fixtureBytes, request } from './support/packets.js';

function decoded(buf: Buffer): DhcpPacket {
  const r = decodePacket(buf);
  if (!r.ok) throw new Error(r.reason);
  return r.packet;
}

/** Facts of every captured fixture, read from the wire by the codec. */
const FIXTURE_TABLE: [string, { type: string; mac: string; arch?: number; vendor?: RegExp; user?: string[]; ciaddr?: string; server?: string }][] = [
  ['ipxe-bios-discover', { type: 'DISCOVER', mac: '52:54:00:00:b1:05', arch: 0, vendor: /^PXEClient:Arch:00000/, user: ['iPXE'] }],
  ['ipxe-bios-request', { type: 'REQUEST', mac: '52:54:00:00:b1:05', arch: 0, user: ['iPXE'], server: '10.77.0.2' }],
  ['ipxe-efi-discover', { type: 'DISCOVER', mac: '52:54:00:00:0e:f1', arch: 7, vendor: /^PXEClient:Arch:00007/, user: ['iPXE'] }],
  ['ovmf-pxe-discover', { type: 'DISCOVER', mac: '52:54:00:00:0e:f1', arch: 7, vendor: /^PXEClient:Arch:00007:UNDI:003000$/, user: [] }],
  ['ovmf-pxe-request-4011', { type: 'REQUEST', mac: '52:54:00:00:0e:f1', arch: 7, ciaddr: '10.77.0.114' }],
  ['ovmf-http-discover', { type: 'DISCOVER', mac: '52:54:00:00:0e:f1', arch: 16, vendor: /^HTTPClient:Arch:00016/ }],
  ['udhcpc-discover', { type: 'DISCOVER', mac: '02:00:00:00:0c:01', vendor: /^udhcp /, user: [] }],
  ['udhcpc-request', { type: 'REQUEST', mac: '02:00:00:00:0c:01', server: '10.78.0.1' }],
  ['udhcpc-renew', { type: 'REQUEST', mac: '02:00:00:00:0c:01', ciaddr: '10.78.0.100' }],
  ['udhcpc-release', { type: 'RELEASE', mac: '02:00:00:00:0c:01', ciaddr: '10.78.0.100', server: '10.78.0.1' }],
  ['dhclient-discover', { type: 'DISCOVER', mac: '02:00:00:00:0c:02' }],
  ['dhclient-request', { type: 'REQUEST', mac: '02:00:00:00:0c:02', server: '10.78.0.1' }],
  ['dhclient-release', { type: 'RELEASE', mac: '02:00:00:00:0c:02', ciaddr: '10.78.0.101' }],
  ['dnsmasq-offer', { type: 'OFFER', mac: '52:54:00:00:b1:05', server: '10.77.0.2' }],
  ['metalbox-proxy-offer-ipxe', { type: 'OFFER', mac: '52:54:00:00:b1:05', vendor: /^PXEClient$/, server: '10.77.0.1' }],
  ['metalbox-proxy-ack-4011', { type: 'ACK', mac: '52:54:00:00:0e:f1', vendor: /^PXEClient$/, server: '10.77.0.1' }],
];

describe('DHCP codec: packets captured from real clients', () => {
  it.each(FIXTURE_TABLE)('%s decodes to what the client sent', (name, want) => {
    const p = fixture(name);
    expect(messageType(p)).toBe(want.type);
    expect(clientMac(p)).toBe(want.mac);
    if ('arch' in want) expect(clientArchitectures(p)?.[0]).toBe(want.arch);
    if (want.vendor) expect(getString(p, OPT.vendorClass)).toMatch(want.vendor);
    if (want.user) expect(userClasses(p)).toEqual(want.user);
    if (want.ciaddr) expect(p.ciaddr).toBe(want.ciaddr);
    if (want.server) expect(getIp(p, OPT.serverId)).toBe(want.server);
  });

  it.each(FIXTURE_TABLE.map(([n]) => n))('%s survives encode and decode with every option in order', (name) => {
    const first = fixture(name);
    const again = decoded(encodePacket(first));
    expect(again).toEqual(first);
    expect([...again.options.keys()]).toEqual([...first.options.keys()]);
  });

  it('keeps the parameter request list of a PXE ROM intact (the npm dhcp package crashes on it)', () => {
    const prl = parameterRequestList(fixture('ipxe-bios-discover'));
    expect(prl).toEqual(expect.arrayContaining([1, 3, 6, 43, 60, 66, 67, 175]));
  });

  it('reads the PXE options of OVMF: client architecture 93, NDI 94, machine id 97', () => {
    const p = fixture('ovmf-pxe-discover');
    expect(p.options.get(OPT.clientNdi)).toEqual(Buffer.from([1, 3, 0]));
    expect(p.options.get(OPT.clientMachineId)).toHaveLength(17);
    expect(p.options.get(OPT.clientMachineId)![0]).toBe(0);
  });

  it('reads option 43 of our proxy OFFER as PXE discovery control 8', () => {
    const subs = decodeSubOptions(fixture('metalbox-proxy-offer-ipxe').options.get(OPT.vendorSpecific)!);
    expect(subs?.get(6)).toEqual(Buffer.from([8]));
  });
});

describe('DHCP codec: tolerant decoding', () => {
  const base = () => request({ type: 'DISCOVER', arch: 7, vendorClass: 'PXEClient:Arch:00007' });

  function withOptionBytes(area: number[]): Buffer {
    const buf = encodePacket(base());
    return Buffer.concat([buf.subarray(0, 240), Buffer.from(area)]);
  }

  it('skips PAD anywhere, including between options', () => {
    const p = decoded(withOptionBytes([0, 0, 53, 1, 1, 0, 93, 2, 0, 7, 0, 255]));
    expect(messageType(p)).toBe('DISCOVER');
    expect(clientArchitectures(p)).toEqual([7]);
  });

  it('accepts a missing END option', () => {
    const p = decoded(withOptionBytes([53, 1, 3, 50, 4, 10, 0, 0, 9]));
    expect(getIp(p, OPT.requestedAddress)).toBe('10.0.0.9');
  });

  it('concatenates an option split over several instances (RFC 3396)', () => {
    const p = decoded(withOptionBytes([53, 1, 1, 77, 2, 105, 80, 77, 2, 88, 69, 255]));
    expect(userClasses(p)).toEqual(['iPXE']);
  });

  it('reads options overloaded into file and sname (option 52), file first', () => {
    const buf = encodePacket(base());
    buf.fill(0, 44, 236);
    Buffer.from([67, 8, ...Buffer.from('ipxe.efi'), 255]).copy(buf, 108); // file field
    Buffer.from([66, 4, ...Buffer.from('tftp'), 255]).copy(buf, 44); // sname field
    const area = Buffer.from([53, 1, 2, 52, 1, 3, 255]);
    const p = decoded(Buffer.concat([buf.subarray(0, 240), area]));
    expect(getString(p, OPT.bootFileName)).toBe('ipxe.efi');
    expect(getString(p, OPT.tftpServerName)).toBe('tftp');
    expect(p.file).toBe('');
    expect(p.sname).toBe('');
    expect(p.options.has(52)).toBe(false);
  });

  it('keeps unknown options and writes them back unchanged', () => {
    const p = base();
    p.options.set(224, Buffer.from('site-specific'));
    p.options.set(82, Buffer.from([1, 3, 0x65, 0x74, 0x68]));
    const again = decoded(encodePacket(p));
    expect(again.options.get(224)?.toString()).toBe('site-specific');
    expect(again.options.get(82)).toEqual(Buffer.from([1, 3, 0x65, 0x74, 0x68]));
  });

  it('splits an option longer than 255 bytes into pieces that decode back whole', () => {
    const p = base();
    p.options.set(OPT.bootFileName, Buffer.alloc(600, 0x61));
    const again = decoded(encodePacket(p));
    expect(again.options.get(OPT.bootFileName)).toEqual(Buffer.alloc(600, 0x61));
  });

  it('reads plain BOOTP (no magic cookie) with no options', () => {
    const buf = encodePacket(base()).subarray(0, 300);
    buf.writeUInt32BE(0, 236);
    const p = decoded(buf);
    expect(p.options.size).toBe(0);
    expect(messageType(p)).toBeUndefined();
  });

  it('pads replies to the 300 bytes old PXE ROMs expect', () => {
    expect(encodePacket(request({ type: 'INFORM' })).length).toBe(300);
  });

  it('reads RFC 3004 user classes and raw ones', () => {
    const rfc = request({ type: 'DISCOVER', extra: [[77, Buffer.from([4, ...Buffer.from('iPXE'), 3, ...Buffer.from('lab')])]] });
    expect(userClasses(decoded(encodePacket(rfc)))).toEqual(['iPXE', 'lab']);
    expect(userClasses(decoded(encodePacket(request({ type: 'DISCOVER', userClass: 'iPXE' }))))).toEqual(['iPXE']);
  });
});

describe('DHCP codec: malformed packets are values, not throws', () => {
  const good = () => encodePacket(request({ type: 'DISCOVER' }));
  const cases: [string, () => Buffer, RegExp][] = [
    ['empty', () => Buffer.alloc(0), /too short/],
    ['shorter than the BOOTP header', () => good().subarray(0, 200), /too short/],
    ['op neither request nor reply', () => Object.assign(good(), { 0: 7 }), /bad op 7/],
    ['hardware address longer than 16', () => Object.assign(good(), { 2: 17 }), /hardware address length 17/],
    ['option running past the end', () => Buffer.concat([good().subarray(0, 240), Buffer.from([53, 1, 1, 12, 40, 65])]), /option 12 runs past the end/],
    ['option without its length byte', () => Buffer.concat([good().subarray(0, 240), Buffer.from([53, 1, 1, 12])]), /no length byte/],
  ];
  it.each(cases)('%s', (_name, make, reason) => {
    const r = decodePacket(make());
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('decodes every prefix of a real packet without throwing', () => {
    const buf = fixtureBytes('ovmf-pxe-discover');
    for (let n = 0; n <= buf.length; n++) expect(() => decodePacket(buf.subarray(0, n))).not.toThrow();
  });
});
