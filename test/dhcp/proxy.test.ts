import { describe, expect, it } from 'vitest';
import { decodeSubOptions, getIp, getString, messageType, OPT, parseCidr, type DhcpPacket } from '../../src/dhcp/index.js';
import type { Decision } from '../../src/dhcp/exchange.js';
import { answerProxy, type ProxyContext } from '../../src/dhcp/proxy.js';
import { RelayedClients } from '../../src/dhcp/relayed.js';
import { fixture, pxeDiscover, request } from './support/packets.js';

const ctx: ProxyContext = {
  address: '10.77.0.1',
  httpPort: 8081,
  ipxeBinaries: new Set(['undionly.kpxe', 'ipxe.efi', 'snponly.efi']),
  subnet: parseCidr('10.77.0.1/24')!,
  ports: { server: 67, client: 68 },
};
const fromNowhere = { address: '0.0.0.0', port: 68 };

function reply(d: Decision): Extract<Decision, { kind: 'reply' }> {
  if (d.kind !== 'reply') throw new Error(`expected a reply, got ${JSON.stringify(d)}`);
  return d;
}

function pxeOptions(p: DhcpPacket) {
  return {
    type: messageType(p),
    serverId: getIp(p, OPT.serverId),
    vendorClass: getString(p, OPT.vendorClass),
    bootFile: getString(p, OPT.bootFileName),
    file: p.file,
    siaddr: p.siaddr,
    yiaddr: p.yiaddr,
    discoveryControl: p.options.has(OPT.vendorSpecific) ? decodeSubOptions(p.options.get(OPT.vendorSpecific)!)?.get(6)?.[0] : undefined,
  };
}

describe('proxy mode on port 67', () => {
  it('offers ipxe.efi to OVMF (captured DISCOVER), broadcast, with every PXE field and no address', () => {
    const d = reply(answerProxy(fixture('ovmf-pxe-discover'), 'dhcp', fromNowhere, ctx));
    expect(d.replyType).toBe('OFFER');
    expect(d.to).toEqual({ address: '255.255.255.255', port: 68 });
    expect(pxeOptions(d.reply)).toEqual({
      type: 'OFFER', serverId: '10.77.0.1', vendorClass: 'PXEClient', bootFile: 'ipxe.efi', file: 'ipxe.efi',
      siaddr: '10.77.0.1', yiaddr: '0.0.0.0', discoveryControl: undefined,
    });
    expect(d.reply.options.get(OPT.clientMachineId)).toEqual(fixture('ovmf-pxe-discover').options.get(OPT.clientMachineId));
    expect(d.reply.xid).toBe(fixture('ovmf-pxe-discover').xid);
  });

  it('gives BIOS PXE ROMs undionly.kpxe with discovery control 8', () => {
    const d = reply(answerProxy(pxeDiscover(0), 'dhcp', fromNowhere, ctx));
    expect(pxeOptions(d.reply)).toMatchObject({ bootFile: 'undionly.kpxe', file: 'undionly.kpxe', discoveryControl: 8 });
  });

  it('gives iPXE (captured ROM DISCOVER) the script URL, which breaks the chainload loop', () => {
    const d = reply(answerProxy(fixture('ipxe-bios-discover'), 'dhcp', fromNowhere, ctx));
    expect(pxeOptions(d.reply)).toMatchObject({ bootFile: 'http://10.77.0.1:8081/boot.ipxe', file: 'http://10.77.0.1:8081/boot.ipxe', discoveryControl: 8 });
    expect(d.note).toMatchObject({ mac: '52:54:00:00:b1:05', request: 'DISCOVER', arch: 0, bootFile: 'http://10.77.0.1:8081/boot.ipxe' });
  });

  it('answers UEFI HTTP boot (captured OVMF DISCOVER) with a URL and vendor class HTTPClient', () => {
    const d = reply(answerProxy(fixture('ovmf-http-discover'), 'dhcp', fromNowhere, ctx));
    expect(pxeOptions(d.reply)).toMatchObject({ vendorClass: 'HTTPClient', bootFile: 'http://10.77.0.1:8081/tftp/ipxe.efi' });
  });

  it('uses the per-server preference', () => {
    const d = reply(answerProxy(pxeDiscover(7, '52:54:00:00:00:07'), 'dhcp', fromNowhere, { ...ctx, bootPreference: (m) => (m === '52:54:00:00:00:07' ? 'snponly' : undefined) }));
    expect(pxeOptions(d.reply).bootFile).toBe('snponly.efi');
  });

  it('never answers ordinary clients (captured udhcpc and dhclient)', () => {
    for (const name of ['udhcpc-discover', 'dhclient-discover', 'udhcpc-request']) {
      const d = answerProxy(fixture(name), 'dhcp', fromNowhere, ctx);
      expect(d).toMatchObject({ kind: 'ignore', quiet: true });
    }
  });

  it('logs and does not answer an unknown architecture', () => {
    const d = answerProxy(pxeDiscover(10), 'dhcp', fromNowhere, ctx);
    expect(d).toMatchObject({ kind: 'ignore', quiet: false, note: { reason: expect.stringMatching(/unsupported architecture 10/) } });
  });

  it('ACKs a REQUEST addressed to it and ignores REQUESTs for the real DHCP server', () => {
    const mine = request({ type: 'REQUEST', arch: 7, vendorClass: 'PXEClient:Arch:00007', serverId: '10.77.0.1' });
    expect(reply(answerProxy(mine, 'dhcp', fromNowhere, ctx)).replyType).toBe('ACK');
    expect(answerProxy(fixture('ipxe-bios-request'), 'dhcp', fromNowhere, ctx)).toMatchObject({ kind: 'ignore', quiet: true });
  });

  it('answers a relayed DISCOVER to the relay on port 67 and echoes option 82', () => {
    const relayed = pxeDiscover(7);
    relayed.giaddr = '10.99.0.1';
    relayed.options.set(OPT.relayAgentInfo, Buffer.from([1, 4, 0, 0, 0, 9]));
    const d = reply(answerProxy(relayed, 'dhcp', { address: '10.99.0.1', port: 67 }, ctx));
    expect(d.to).toEqual({ address: '10.99.0.1', port: 67 });
    expect(d.reply.giaddr).toBe('10.99.0.1');
    expect(d.reply.options.get(OPT.relayAgentInfo)).toEqual(Buffer.from([1, 4, 0, 0, 0, 9]));
    expect([...d.reply.options.keys()].at(-1)).toBe(OPT.relayAgentInfo);
  });

  it('drops requests that come from another network', () => {
    expect(answerProxy(pxeDiscover(7), 'dhcp', { address: '192.168.1.50', port: 68 }, ctx)).toMatchObject({ kind: 'drop', reason: expect.stringMatching(/not on the provisioning network 10\.77\.0\.0\/24/) });
    const elsewhere = request({ type: 'REQUEST', arch: 7, vendorClass: 'PXEClient', ciaddr: '192.168.1.50', serverId: '10.77.0.1' });
    expect(answerProxy(elsewhere, 'dhcp', fromNowhere, ctx).kind).toBe('drop');
  });

  it('drops BOOTREPLYs (another server\'s answer is not a question)', () => {
    expect(answerProxy(fixture('dnsmasq-offer'), 'dhcp', { address: '10.77.0.2', port: 67 }, ctx)).toMatchObject({ kind: 'drop' });
  });
});

describe('proxy mode on port 4011', () => {
  it('ACKs the captured OVMF REQUEST unicast to where it came from, with ciaddr kept', () => {
    const from = { address: '10.77.0.114', port: 4011 };
    const d = reply(answerProxy(fixture('ovmf-pxe-request-4011'), 'pxe', from, ctx));
    expect(d.to).toEqual(from);
    expect(d.reply.ciaddr).toBe('10.77.0.114');
    expect(pxeOptions(d.reply)).toMatchObject({ type: 'ACK', bootFile: 'ipxe.efi', file: 'ipxe.efi', vendorClass: 'PXEClient', siaddr: '10.77.0.1' });
  });

  it('ignores DISCOVERs on the boot server port', () => {
    expect(answerProxy(pxeDiscover(7), 'pxe', { address: '10.77.0.114', port: 4011 }, ctx)).toMatchObject({ kind: 'ignore' });
  });

  it('drops a 4011 REQUEST from an address on another network', () => {
    const d = answerProxy(fixture('ovmf-pxe-request-4011'), 'pxe', { address: '172.16.0.9', port: 4011 }, ctx);
    expect(d.kind).toBe('drop');
  });

  it('behind a relay: ACKs the routed 4011 REQUEST of a client it just answered through the relay, for a while', () => {
    let now = 0;
    const behindRelay: ProxyContext = { ...ctx, relayed: new RelayedClients({ holdMs: 60_000, now: () => now }) };
    const from = { address: '10.99.0.50', port: 4011 };
    const req = fixture('ovmf-pxe-request-4011');
    req.ciaddr = from.address;
    expect(answerProxy(req, 'pxe', from, behindRelay).kind).toBe('drop'); // not relayed yet
    const relayed = fixture('ovmf-pxe-discover');
    relayed.giaddr = '10.99.0.1';
    expect(reply(answerProxy(relayed, 'dhcp', { address: '10.99.0.1', port: 67 }, behindRelay)).to).toEqual({ address: '10.99.0.1', port: 67 });
    const ack = reply(answerProxy(req, 'pxe', from, behindRelay));
    expect(ack.to).toEqual(from);
    expect(pxeOptions(ack.reply)).toMatchObject({ type: 'ACK', bootFile: 'ipxe.efi' });
    const other = fixture('ovmf-pxe-request-4011');
    other.chaddr = Buffer.from('525400000e0200000000000000000000', 'hex');
    other.ciaddr = from.address;
    expect(answerProxy(other, 'pxe', from, behindRelay).kind).toBe('drop'); // another MAC was not relayed
    now += 60_001;
    expect(answerProxy(req, 'pxe', from, behindRelay).kind).toBe('drop');
  });

  it('remembers at most max relayed clients, forgetting the oldest', () => {
    const r = new RelayedClients({ max: 2, now: () => 0 });
    r.note('a');
    r.note('b');
    r.note('a'); // refreshed: b is now the oldest
    r.note('c');
    expect([r.has('a'), r.has('b'), r.has('c')]).toEqual([true, false, true]);
  });
});
