import { beforeEach, describe, expect, it } from 'vitest';
import { getIp, getString, messageType, OPT, parseCidr } from '../../src/dhcp/index.js';
import type { Decision } from '../../src/dhcp/exchange.js';
import { answerFull, type FullContext } from '../../src/dhcp/full.js';
import { LeaseTable } from '../../src/dhcp/leases.js';
import { fixture, pxeDiscover, request } from './support/packets.js';

let now = 1_000_000;
let ctx: FullContext;
const any = { address: '0.0.0.0', port: 68 };
const A = '02:00:00:00:00:0a';
const B = '02:00:00:00:00:0b';
const R = '02:00:00:00:00:99';

beforeEach(() => {
  now = 1_000_000;
  ctx = {
    address: '10.78.0.1',
    httpPort: 8081,
    ipxeBinaries: new Set(['undionly.kpxe', 'ipxe.efi']),
    subnet: parseCidr('10.78.0.1/24')!,
    ports: { server: 67, client: 68 },
    leaseTime: 600,
    router: '10.78.0.254',
    dns: ['10.78.0.53', '10.78.0.54'],
    leases: new LeaseTable({
      range: { start: '10.78.0.100', end: '10.78.0.102' },
      reservations: [{ mac: R, address: '10.78.0.10', hostname: 'node-r' }],
      excluded: ['10.78.0.1'],
      now: () => now,
    }),
  };
});

function reply(d: Decision) {
  if (d.kind !== 'reply') throw new Error(`expected a reply, got ${JSON.stringify(d)}`);
  return d;
}

/** DISCOVER then REQUEST (selecting); returns the ACKed address. */
function lease(mac: string): string {
  const offer = reply(answerFull(request({ type: 'DISCOVER', mac }), any, ctx));
  const ack = reply(answerFull(request({ type: 'REQUEST', mac, requested: offer.reply.yiaddr, serverId: '10.78.0.1' }), any, ctx));
  expect(ack.replyType).toBe('ACK');
  return ack.reply.yiaddr;
}

describe('full mode', () => {
  it('offers an address with mask, router, DNS and times, and ACKs it with a commit', () => {
    const offer = reply(answerFull(fixture('udhcpc-discover'), any, ctx));
    const p = offer.reply;
    expect(messageType(p)).toBe('OFFER');
    expect(p.yiaddr).toBe('10.78.0.100');
    expect(offer.to).toEqual({ address: '255.255.255.255', port: 68 });
    expect(getIp(p, OPT.subnetMask)).toBe('255.255.255.0');
    expect(getIp(p, OPT.router)).toBe('10.78.0.254');
    expect(p.options.get(OPT.dns)?.length).toBe(8);
    expect(p.options.get(OPT.leaseTime)?.readUInt32BE(0)).toBe(600);
    expect(p.options.get(OPT.renewalTime)?.readUInt32BE(0)).toBe(300);
    expect(p.options.get(OPT.rebindingTime)?.readUInt32BE(0)).toBe(525);
    expect(offer.commit).toBeFalsy();
    const ack = reply(answerFull(request({ type: 'REQUEST', mac: '02:00:00:00:0c:01', requested: '10.78.0.100', serverId: '10.78.0.1' }), any, ctx));
    expect(ack.replyType).toBe('ACK');
    expect(ack.commit).toBe(true);
    expect(ctx.leases.active().map((l) => l.address)).toEqual(['10.78.0.100']);
  });

  it('gives network-boot clients their boot file without option 60', () => {
    const p = reply(answerFull(pxeDiscover(7, A), any, ctx)).reply;
    expect(p.yiaddr).toBe('10.78.0.100');
    expect(p.file).toBe('ipxe.efi');
    expect(p.siaddr).toBe('10.78.0.1');
    expect(p.options.has(OPT.vendorClass)).toBe(false);
  });

  it('never offers an address that is leased, reserved, or being offered to another client', () => {
    expect(lease(A)).toBe('10.78.0.100');
    const toB = reply(answerFull(request({ type: 'DISCOVER', mac: B }), any, ctx)).reply.yiaddr;
    expect(toB).toBe('10.78.0.101');
    const third = reply(answerFull(request({ type: 'DISCOVER', mac: '02:00:00:00:00:0c' }), any, ctx)).reply.yiaddr;
    expect(third).toBe('10.78.0.102');
    expect(answerFull(request({ type: 'DISCOVER', mac: '02:00:00:00:00:0d', requested: '10.78.0.10' }), any, ctx)).toMatchObject({
      kind: 'ignore',
      note: { reason: 'no free address in the range' },
    });
  });

  it('gives a reserved MAC its reserved address and host name, even outside the range', () => {
    const p = reply(answerFull(request({ type: 'DISCOVER', mac: R }), any, ctx)).reply;
    expect(p.yiaddr).toBe('10.78.0.10');
    expect(getString(p, OPT.hostname)).toBe('node-r');
  });

  it('NAKs a request for an address it cannot honour', () => {
    lease(A);
    const taken = reply(answerFull(request({ type: 'REQUEST', mac: B, requested: '10.78.0.100' }), any, ctx));
    expect(taken.replyType).toBe('NAK');
    expect(getString(taken.reply, OPT.message)).toMatch(/leased to 02:00:00:00:00:0a/);
    expect(taken.to).toEqual({ address: '255.255.255.255', port: 68 });
    const wrongNet = reply(answerFull(request({ type: 'REQUEST', mac: B, requested: '192.168.1.7' }), any, ctx));
    expect(wrongNet.replyType).toBe('NAK');
    const reserved = reply(answerFull(request({ type: 'REQUEST', mac: B, requested: '10.78.0.10' }), any, ctx));
    expect(getString(reserved.reply, OPT.message)).toMatch(/reserved for/);
  });

  it('forgets its offer when the client chooses another server', () => {
    reply(answerFull(request({ type: 'DISCOVER', mac: A }), any, ctx));
    expect(ctx.leases.canGrant(B, '10.78.0.100').ok).toBe(false);
    expect(answerFull(request({ type: 'REQUEST', mac: A, requested: '10.78.0.100', serverId: '10.78.0.2' }), any, ctx)).toMatchObject({ kind: 'ignore', quiet: true });
    expect(ctx.leases.canGrant(B, '10.78.0.100')).toEqual({ ok: true });
    lease('02:00:00:00:00:0c');
    lease('02:00:00:00:00:0d');
    expect(reply(answerFull(request({ type: 'DISCOVER', mac: B }), any, ctx)).reply.yiaddr).toBe('10.78.0.100');
  });

  it('renews (captured udhcpc renew) unicast to ciaddr and extends the lease', () => {
    lease('02:00:00:00:0c:01');
    now += 400_000;
    const d = reply(answerFull(fixture('udhcpc-renew'), { address: '10.78.0.100', port: 68 }, ctx));
    expect(d.replyType).toBe('ACK');
    expect(d.to).toEqual({ address: '10.78.0.100', port: 68 });
    expect(ctx.leases.leaseOf('02:00:00:00:0c:01')?.expires).toBe(now + 600_000);
  });

  it('releases (captured udhcpc RELEASE) and gives the same client the same address later', () => {
    lease('02:00:00:00:0c:01');
    const d = answerFull(fixture('udhcpc-release'), { address: '10.78.0.100', port: 68 }, ctx);
    expect(d).toMatchObject({ kind: 'ignore', commit: true, note: { reason: 'released' } });
    expect(ctx.leases.active()).toEqual([]);
    expect(reply(answerFull(request({ type: 'DISCOVER', mac: B }), any, ctx)).reply.yiaddr).toBe('10.78.0.101');
    expect(reply(answerFull(fixture('udhcpc-discover'), any, ctx)).reply.yiaddr).toBe('10.78.0.100');
  });

  it('takes a declined address out of use', () => {
    lease(A);
    const d = answerFull(request({ type: 'DECLINE', mac: A, requested: '10.78.0.100', serverId: '10.78.0.1' }), any, ctx);
    expect(d).toMatchObject({ kind: 'ignore', commit: true });
    expect(reply(answerFull(request({ type: 'DISCOVER', mac: A }), any, ctx)).reply.yiaddr).toBe('10.78.0.101');
    now += 700_000;
    expect(ctx.leases.canGrant(B, '10.78.0.100')).toEqual({ ok: true });
  });

  it('answers INFORM with configuration and no lease, to ciaddr', () => {
    const d = reply(answerFull(request({ type: 'INFORM', mac: B, ciaddr: '10.78.0.77' }), { address: '10.78.0.77', port: 68 }, ctx));
    expect(d.replyType).toBe('ACK');
    expect(d.reply.yiaddr).toBe('0.0.0.0');
    expect(d.reply.options.has(OPT.leaseTime)).toBe(false);
    expect(getIp(d.reply, OPT.router)).toBe('10.78.0.254');
    expect(d.to).toEqual({ address: '10.78.0.77', port: 68 });
    expect(d.commit).toBeFalsy();
  });

  it('answers relayed requests to the relay, NAKs with the broadcast bit', () => {
    const relay = { address: '10.78.0.250', port: 67 };
    const relayed = request({ type: 'DISCOVER', mac: A, giaddr: relay.address });
    const offer = reply(answerFull(relayed, relay, ctx));
    expect(offer.to).toEqual(relay);
    expect(offer.reply.giaddr).toBe(relay.address);
    lease(B);
    const nak = reply(answerFull(request({ type: 'REQUEST', mac: A, requested: '10.78.0.101', giaddr: relay.address }), relay, ctx));
    expect(nak.replyType).toBe('NAK');
    expect(nak.reply.flags & 0x8000).toBe(0x8000);
    expect(nak.to).toEqual(relay);
  });

  it('does not hand out its addresses through a relay on another network, and says why', () => {
    const d = answerFull(request({ type: 'DISCOVER', mac: A, giaddr: '10.50.0.1' }), { address: '10.50.0.1', port: 67 }, ctx);
    expect(d).toMatchObject({ kind: 'ignore', quiet: false, note: { mac: A, reason: expect.stringMatching(/relayed by 10\.50\.0\.1, which is not on the provisioning network 10\.78\.0\.0\/24/) } });
    const r = answerFull(request({ type: 'REQUEST', mac: A, requested: '10.78.0.100', serverId: '10.78.0.1', giaddr: '10.50.0.1' }), { address: '10.50.0.1', port: 67 }, ctx);
    expect(r.kind).toBe('ignore');
    expect(ctx.leases.active()).toEqual([]);
  });

  it('reuses an expired lease only when no never-used address is left', () => {
    lease(A);
    now += 700_000;
    expect(reply(answerFull(request({ type: 'DISCOVER', mac: B }), any, ctx)).reply.yiaddr).toBe('10.78.0.101');
    lease(B);
    lease('02:00:00:00:00:0c');
    expect(reply(answerFull(request({ type: 'DISCOVER', mac: '02:00:00:00:00:0d' }), any, ctx)).reply.yiaddr).toBe('10.78.0.100');
  });

  it('drops requests from another network', () => {
    expect(answerFull(request({ type: 'REQUEST', mac: A, ciaddr: '192.168.9.9' }), { address: '192.168.9.9', port: 68 }, ctx).kind).toBe('drop');
  });
});
