/**
 * The DHCP service on the real ports (67, 68, 4011) in network namespaces: proxy mode against raw PXE
 * requests, the multi-homed guarantee, and full mode against busybox udhcpc, ISC dhclient and dnsmasq.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientMac, getString, OPT } from '../../src/dhcp/index.js';
import { startCapture } from '../lab/capture.js';
import { startDnsmasqDhcp } from '../lab/dnsmasq.js';
import { Lab } from '../lab/lab.js';
import { type NodeChild, startNode } from '../lab/node.js';
import { sleep } from '../lab/sh.js';
import { missing, skipNote } from '../support/needs.js';
import { DhcpAgent } from './support/agent.js';
import { startDhclient, startUdhcpc } from './support/clients.js';
import type { NetbootHostConfig } from './support/netboot-host.js';
import { fixture, pxeDiscover } from './support/packets.js';

const why = missing('root', 'netns', 'bin:udhcpc', 'bin:dhclient', 'bin:dnsmasq', 'bin:tcpdump');

function boot(lab: Lab, where: Parameters<typeof startNode>[1], config: Omit<NetbootHostConfig, 'dataDir'> & { dataDir?: string }): Promise<NodeChild> {
  return startNode(lab, where, 'test/dhcp/support/netboot-host.ts', { dataDir: lab.dir, probeWaitMs: 1500, ...config });
}

/** dhcp.exchange events the host reported. */
function exchanges(host: NodeChild, match: Record<string, unknown> = {}) {
  return host.messages
    .filter((m) => m.type === 'event' && (m.event as { type: string }).type === 'dhcp.exchange')
    .map((m) => m.event as Record<string, unknown>)
    .filter((e) => Object.entries(match).every(([k, v]) => e[k] === v));
}

describe.skipIf(why)(`DHCP in network namespaces${skipNote(why)}`, () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await Lab.create('dhcp');
  });
  afterAll(async () => {
    await lab?.cleanup();
  });

  it('proxy mode: offers on 67 by broadcast, ACKs on 4011 by unicast, ignores ordinary clients', async () => {
    const lan = await lab.segment('px');
    const box = await lab.host('pxbox', lan, '10.79.0.1/24');
    const cli = await lab.host('pxcli', lan, '10.79.0.50/24');
    await lab.defaultRoute(cli, '10.79.0.254');
    const host = await boot(lab, box, { cidr: '10.79.0.1/24' });
    const agent = await DhcpAgent.start(lab, cli);
    const discover = fixture('ovmf-pxe-discover');
    await agent.send(discover, '255.255.255.255', 67);
    const offer = await agent.reply(discover.xid, 'OFFER');
    expect(offer.from).toBe('10.79.0.1');
    expect(offer.packet.file).toBe('ipxe.efi');
    const req = fixture('ovmf-pxe-request-4011');
    req.ciaddr = '10.79.0.50';
    req.xid = 0x4011;
    await agent.send(req, '10.79.0.1', 4011);
    const ack = await agent.reply(0x4011, 'ACK');
    expect(ack.fromPort).toBe(4011);
    expect(getString(ack.packet, OPT.bootFileName)).toBe('ipxe.efi');
    const plain = fixture('udhcpc-discover');
    await agent.send(plain, '255.255.255.255', 67);
    await sleep(700);
    expect(agent.replies(plain.xid)).toEqual([]);
    expect(exchanges(host, { mac: clientMac(discover), reply: 'OFFER', port: 67 })).toHaveLength(1);
    expect(exchanges(host, { reply: 'ACK', port: 4011 })).toHaveLength(1);
    const stats = (await host.call<{ dhcp: { received: number; answered: number; ignored: number } }>('stats')).dhcp;
    expect(stats).toMatchObject({ received: 3, answered: 2, ignored: 1 });
  }, 60_000);

  it('multi-homed: with the default route on the other interface, replies leave only through the provisioning NIC', async () => {
    const prov = await lab.segment('mhprov');
    const home = await lab.segment('mhhome');
    const box = await lab.host('mhbox', prov, '10.80.0.1/24');
    await lab.attach(box, home, '192.168.80.1/24');
    await lab.defaultRoute(box, '192.168.80.254');
    const host = await boot(lab, box, { cidr: '10.80.0.1/24' });
    const provCli = await lab.host('mhpcli', prov, '10.80.0.50/24');
    const homeCli = await lab.host('mhhcli', home, '192.168.80.50/24');
    await lab.defaultRoute(provCli, '10.80.0.254');
    await lab.defaultRoute(homeCli, '192.168.80.254');
    const homeBare = await lab.host('mhbare', home);
    const provAgent = await DhcpAgent.start(lab, provCli);
    const homeAgent = await DhcpAgent.start(lab, homeCli);
    const onHome = await startCapture(lab, home, 'udp', 'br0', 'home');
    const onProv = await startCapture(lab, prov, 'udp port 68', 'br0', 'prov');

    const a = pxeDiscover(7, '02:00:00:00:80:01');
    a.xid = 0xa;
    await provAgent.send(a, '255.255.255.255', 67);
    expect((await provAgent.reply(0xa, 'OFFER')).from).toBe('10.80.0.1');
    // From the home network: an addressed PXE client is ignored, and its 4011 request too.
    const b = pxeDiscover(7, '02:00:00:00:80:02');
    b.xid = 0xb;
    await homeAgent.send(b, '255.255.255.255', 67);
    const b4011 = fixture('ovmf-pxe-request-4011');
    b4011.ciaddr = '192.168.80.50';
    b4011.xid = 0xb4011;
    await homeAgent.send(b4011, '192.168.80.1', 4011);
    // An unaddressed PXE client on the home network cannot be told apart: it is answered, but the
    // answer goes out of the provisioning NIC, never the home one.
    const bare = startUdhcpc(lab, homeBare, ['-V', 'PXEClient:Arch:00007:UNDI:003000', '-x', '0x5d:0007', '-n', '-q', '-t', '2']);
    await bare.proc.exited;
    await sleep(500);
    const homeTraffic = await onHome.stop();
    const provTraffic = await onProv.stop();
    expect(homeAgent.replies(0xb)).toEqual([]);
    expect(homeAgent.replies(0xb4011)).toEqual([]);
    expect(homeTraffic.filter((d) => d.src === '10.80.0.1' || d.src === '192.168.80.1' || d.srcPort === 4011)).toEqual([]);
    expect(homeTraffic.some((d) => d.dstPort === 67)).toBe(true); // the home clients did speak
    const bareMac = exchanges(host, { request: 'DISCOVER', arch: 7 }).map((e) => e.mac).find((m) => m !== '02:00:00:00:80:01' && m !== '02:00:00:00:80:02');
    expect(bareMac).toBeDefined();
    expect(provTraffic.some((d) => d.src === '10.80.0.1' && d.dst === '255.255.255.255')).toBe(true);
    const stats = (await host.call<{ dhcp: { dropped: number } }>('stats')).dhcp;
    expect(stats.dropped).toBe(2);
    const dropped = host.messages.filter((m) => m.type === 'event' && (m.event as { type: string }).type === 'dhcp.dropped');
    expect(dropped.map((m) => (m.event as { reason: string }).reason)).toEqual(
      expect.arrayContaining([expect.stringMatching(/sent from 192\.168\.80\.50, not on the provisioning network 10\.80\.0\.0\/24/), expect.stringMatching(/client address 192\.168\.80\.50/)]),
    );
  }, 90_000);

  it('full mode: udhcpc and dhclient obtain, renew and release leases; the lease file survives a restart', async () => {
    const lan = await lab.segment('fu');
    const box = await lab.host('fubox', lan, '10.81.0.1/24');
    const c1 = await lab.host('fuudhcpc', lan, undefined, '02:00:00:00:81:01');
    const c2 = await lab.host('fudhclient', lan, undefined, '02:00:00:00:81:02');
    const dataDir = join(lab.dir, 'full');
    const settings = { dhcp: { mode: 'full' as const, range: '10.81.0.100-10.81.0.150', leaseTime: 20, router: '10.81.0.1', dns: ['10.81.0.53'] } };
    const host = await boot(lab, box, { cidr: '10.81.0.1/24', dataDir, settings });

    const u = startUdhcpc(lab, c1);
    expect(await u.waitFor(/^bound$/, 1, 20_000)).toMatchObject({ ip: '10.81.0.100', serverId: '10.81.0.1' });
    const file = JSON.parse(await readFile(join(dataDir, 'dhcp-leases.json'), 'utf8')) as { leases: { mac: string; address: string }[] };
    expect(file.leases).toEqual([expect.objectContaining({ mac: '02:00:00:00:81:01', address: '10.81.0.100' })]);

    // Restart the service: the lease is reloaded, the renewal is honoured, and nobody else gets .100.
    await host.call('stopDhcp');
    await host.call('startDhcp');
    u.proc.child.kill('SIGUSR1');
    expect(await u.waitFor(/^renew$/, 1, 20_000)).toMatchObject({ ip: '10.81.0.100' });
    const d = startDhclient(lab, c2);
    expect(await d.waitFor(/^BOUND$/, 1, 30_000)).toMatchObject({ ip: '10.81.0.101', serverId: '10.81.0.1' });
    expect(await d.waitFor(/^RENEW$/, 1, 30_000)).toMatchObject({ ip: '10.81.0.101' });
    expect(exchanges(host, { mac: '02:00:00:00:81:02', request: 'REQUEST', reply: 'ACK' }).length).toBeGreaterThanOrEqual(2);

    u.proc.child.kill('SIGUSR2');
    await d.release();
    await host.waitFor((m) => m.type === 'event' && (m.event as { mac?: string; request?: string }).mac === '02:00:00:00:81:02' && (m.event as { request?: string }).request === 'RELEASE', 10_000);
    await host.waitFor((m) => m.type === 'event' && (m.event as { mac?: string; request?: string }).mac === '02:00:00:00:81:01' && (m.event as { request?: string }).request === 'RELEASE', 10_000);
    expect(exchanges(host, { request: 'RELEASE', reason: 'released' })).toHaveLength(2);
    expect((await host.call<{ dhcp: { leases: number } }>('stats')).dhcp.leases).toBe(0);
  }, 120_000);

  it('full mode refuses to start when another DHCP server answers, naming it', async () => {
    const lan = await lab.segment('ot');
    const box = await lab.host('otbox', lan, '10.82.0.1/24');
    const router = await lab.host('otrouter', lan, '10.82.0.2/24');
    const dns = startDnsmasqDhcp(lab, router, { range: '10.82.0.100,10.82.0.150', noPing: true });
    await dns.waitForOutput(/DHCP, IP range/, 10_000);
    const err = await boot(lab, box, { cidr: '10.82.0.1/24', probeWaitMs: 3000, settings: { dhcp: { mode: 'full', range: '10.82.0.200-10.82.0.250' } } }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/another DHCP server answers at 10\.82\.0\.2; full mode will not compete with it \(DHCP_OTHER_SERVER\)/);
    await dns.stop();
    const host = await boot(lab, box, { cidr: '10.82.0.1/24', probeWaitMs: 1500, settings: { dhcp: { mode: 'full', range: '10.82.0.200-10.82.0.250' } } });
    expect(host.messages[0]?.type).toBe('ready');
  }, 60_000);
});

