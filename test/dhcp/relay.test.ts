/**
 * Proxy mode behind a real DHCP relay (dnsmasq's --dhcp-relay, as a router's `ip helper-address` would
 * do): the PXE client sits on another network; its DISCOVER reaches Metalbox through the relay, the OFFER
 * goes back to the relay, and the client's routed REQUEST to 4011 that follows is answered.
 *
 *   client 10.86.1.50 --[rlb]-- 10.86.1.1 relay 10.86.0.2 --[rla]-- 10.86.0.1 Metalbox (proxy)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientMac, getString, OPT } from '../../src/dhcp/index.js';
import { Lab, ip, run } from '../lab/lab.js';
import { type NodeChild, startNode } from '../lab/node.js';
import { missing, skipNote } from '../support/needs.js';
import { DhcpAgent } from './support/agent.js';
import { fixture } from './support/packets.js';

const why = missing('root', 'netns', 'bin:dnsmasq');

function exchanges(host: NodeChild, match: Record<string, unknown>): Record<string, unknown>[] {
  return host.messages
    .filter((m) => m.type === 'event' && (m.event as { type: string }).type === 'dhcp.exchange')
    .map((m) => m.event as Record<string, unknown>)
    .filter((e) => Object.entries(match).every(([k, v]) => e[k] === v));
}

/** The child reports its events over IPC after the reply leaves: wait a moment for them. */
async function eventually<T>(read: () => T[], n: number, ms = 5000): Promise<T[]> {
  const end = Date.now() + ms;
  let got = read();
  while (got.length < n && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
    got = read();
  }
  return got;
}

describe.skipIf(why)(`DHCP behind a relay${skipNote(why)}`, () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await Lab.create('dhcprelay');
  });
  afterAll(async () => {
    await lab?.cleanup();
  });

  it('proxy mode answers a PXE client on another network through dnsmasq --dhcp-relay, then its routed 4011 REQUEST', async () => {
    const servers = await lab.segment('rla');
    const clients = await lab.segment('rlb');
    const box = await lab.host('rlbox', servers, '10.86.0.1/24');
    await ip(box.ns, 'route', 'add', '10.86.1.0/24', 'via', '10.86.0.2');
    const relay = await lab.host('rlrelay', clients, '10.86.1.1/24');
    await lab.attach(relay, servers, '10.86.0.2/24');
    await run('ip', ['netns', 'exec', relay.ns, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    const cli = await lab.host('rlcli', clients, '10.86.1.50/24');
    await lab.defaultRoute(cli, '10.86.1.1');

    const dnsmasq = lab.spawn('dnsmasq-relay', relay, 'dnsmasq', [
      '--keep-in-foreground', '--log-facility=-', '--port=0', '--conf-file=/dev/null', '--no-resolv', '--no-hosts', '--user=root',
      `--pid-file=${lab.dir}/dnsmasq-relay.pid`, '--log-dhcp', '--dhcp-relay=10.86.1.1,10.86.0.1',
    ]);
    await dnsmasq.waitForOutput(/DHCP relay from 10\.86\.1\.1 to 10\.86\.0\.1/, 10_000);
    const host = await startNode(lab, box, 'test/dhcp/support/netboot-host.ts', { cidr: '10.86.0.1/24', dataDir: lab.dir });
    const agent = await DhcpAgent.start(lab, cli);

    const discover = fixture('ovmf-pxe-discover');
    await agent.send(discover, '255.255.255.255', 67);
    const offer = await agent.reply(discover.xid, 'OFFER');
    expect(offer.from).toBe('10.86.1.1'); // handed on by the relay
    expect(offer.packet).toMatchObject({ file: 'ipxe.efi', siaddr: '10.86.0.1', yiaddr: '0.0.0.0', giaddr: '10.86.1.1' });
    expect(await eventually(() => exchanges(host, { mac: clientMac(discover), request: 'DISCOVER', reply: 'OFFER', port: 67 }), 1)).toHaveLength(1);

    const req = fixture('ovmf-pxe-request-4011');
    req.ciaddr = '10.86.1.50';
    req.xid = 0x4011;
    await agent.send(req, '10.86.0.1', 4011);
    const ack = await agent.reply(0x4011, 'ACK');
    expect(ack).toMatchObject({ from: '10.86.0.1', fromPort: 4011 });
    expect(getString(ack.packet, OPT.bootFileName)).toBe('ipxe.efi');
    const stats = (await host.call<{ dhcp: { answered: number; dropped: number } }>('stats')).dhcp;
    expect(stats).toMatchObject({ answered: 2, dropped: 0 });
  }, 60_000);
});
