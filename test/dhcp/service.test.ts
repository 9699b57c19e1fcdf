/**
 * The DHCP service on real sockets over loopback (high ports, no namespace needed): start and stop, port
 * conflicts, privileged ports, and 10,000 random and mutated packets per mode.
 */
import { execFileSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings, type Settings } from '../../src/config/index.js';
import { createDhcpService, decodePacket, encodePacket, messageType, parseCidr, type DhcpService } from '../../src/dhcp/index.js';
import { EventBus } from '../../src/events/index.js';
import { isMetalboxError } from '../../src/util/errors.js';
import { missing, skipNote } from '../support/needs.js';
import { blast, fuzzPackets, seededRandom } from './support/fuzz.js';
import { fixture, fixtureBytes, request } from './support/packets.js';
import { freeUdpPortPair } from './support/ports.js';

const SUBNET = parseCidr('127.0.0.1/8')!;
let dataDir: string;
let events: EventBus;
const running: DhcpService[] = [];

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mbx-dhcp-svc-'));
  events = new EventBus();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
  await rm(dataDir, { recursive: true, force: true });
});

interface Running {
  s: DhcpService;
  dhcpPort: number;
  proxyPort: number;
}

async function service(mode: 'proxy' | 'full' | 'off', tweak: (s: Settings) => void = () => undefined): Promise<Running> {
  const settings = defaultSettings();
  settings.dhcp.mode = mode;
  settings.dhcp.port = await freeUdpPortPair();
  settings.dhcp.proxyPort = settings.dhcp.port + 2;
  settings.dhcp.range = '127.0.1.1-127.0.200.254';
  settings.dhcp.checkOtherServers = false;
  tweak(settings);
  const s = createDhcpService({ settings, events, address: '127.0.0.1', subnet: SUBNET, dataDir, ipxeBinaries: ['undionly.kpxe', 'ipxe.efi'] });
  running.push(s);
  return { s, dhcpPort: settings.dhcp.port, proxyPort: settings.dhcp.proxyPort };
}

async function udp(port = 0, address = '127.0.0.1'): Promise<Socket> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(port, address, () => r()));
  return s;
}

function nextAnswer(sock: Socket, timeoutMs = 3000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no answer')), timeoutMs);
    sock.once('message', (m) => {
      clearTimeout(t);
      resolve(m);
    });
  });
}

/** The captured OVMF 4011 REQUEST, moved to loopback. */
function ovmf4011(): Buffer {
  const p = fixture('ovmf-pxe-request-4011');
  p.ciaddr = '127.0.0.1';
  return encodePacket(p);
}

describe('DHCP service on loopback', () => {
  it('proxy mode answers a UEFI client on the boot server port and stops cleanly', async () => {
    const { s, proxyPort } = await service('proxy');
    await s.start();
    const client = await udp();
    const answer = nextAnswer(client);
    client.send(ovmf4011(), proxyPort, '127.0.0.1');
    const r = decodePacket(await answer);
    expect(r.ok && messageType(r.packet)).toBe('ACK');
    expect(r.ok && r.packet.file).toBe('ipxe.efi');
    client.close();
    await s.stop();
    expect(s.stats().received).toBe(0); // stopped: counters of a stopped service are empty
  });

  it('off mode binds nothing', async () => {
    const { s } = await service('off');
    await s.start();
    expect(s.stats()).toMatchObject({ received: 0, answered: 0 });
  });

  it('reports a port in use by another program with a hint', async () => {
    const { s, dhcpPort } = await service('proxy');
    const blocker = await udp(dhcpPort, '127.0.0.1');
    const err = await s.start().catch((e: unknown) => e);
    blocker.close();
    expect(isMetalboxError(err, 'BIND_IN_USE')).toBe(true);
    expect((err as Error & { hint: string }).hint).toMatch(/ss -lunp/);
    // Nothing was left half-started: once the port is free, start works.
    await s.start();
    const probe = await udp();
    probe.send(Buffer.from('junk'), dhcpPort, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 200));
    probe.close();
    expect(s.stats()).toMatchObject({ received: 1, dropped: 1 });
  });

  it('full mode refuses to start without a range, and with a range outside the subnet', async () => {
    const none = await service('full', (st) => (st.dhcp.range = ''));
    expect(isMetalboxError(await none.s.start().catch((e: unknown) => e), 'DHCP_NO_RANGE')).toBe(true);
    const outside = await service('full', (st) => (st.dhcp.range = '10.0.0.1-10.0.0.9'));
    expect(isMetalboxError(await outside.s.start().catch((e: unknown) => e), 'DHCP_RANGE_OUTSIDE')).toBe(true);
  });
});

const asNobody = missing('root', 'bin:setpriv');
describe.skipIf(asNobody)(`privileged ports${skipNote(asNobody)}`, () => {
  it('binding 67 without privilege says how to fix it', () => {
    const out = execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--import', 'tsx', 'test/dhcp/support/bind-probe.ts', '{"service":"dhcp","port":67}'], {
      env: { ...process.env, HOME: '/tmp' },
    }).toString();
    const r = JSON.parse(out.trim().split('\n').at(-1)!) as { code: string; message: string; hint: string };
    expect(r.code).toBe('BIND_PERMISSION');
    expect(r.message).toBe('DHCP: no permission to bind port 67');
    expect(r.hint).toMatch(/setcap cap_net_bind_service=\+ep/);
  });
});

describe('10,000 random and mutated packets', () => {
  const requests = ['ovmf-pxe-discover', 'ovmf-pxe-request-4011', 'ipxe-bios-discover', 'ipxe-efi-discover', 'ovmf-http-discover', 'udhcpc-discover', 'udhcpc-request', 'udhcpc-renew', 'udhcpc-release', 'dhclient-discover', 'dhclient-request', 'dhclient-release'].map(fixtureBytes);

  it.each([
    ['proxy', 'dhcp', 0x5eed1],
    ['proxy', 'proxy', 0x5eed2],
    ['full', 'dhcp', 0x5eed3],
  ] as const)('%s mode, %s port (seed %i): counted, never a crash, a valid client is answered after', async (mode, port, seed) => {
    const { s, dhcpPort, proxyPort } = await service(mode);
    await s.start();
    const packets = fuzzPackets(requests, 10_000, seededRandom(seed));
    await blast(packets, { address: '127.0.0.1', port: port === 'dhcp' ? dhcpPort : proxyPort }, () => s.stats().received);
    const st = s.stats();
    expect(st.received).toBe(10_000);
    expect(st.answered + st.ignored + st.dropped).toBe(10_000);
    expect(st.dropped).toBeGreaterThan(3000);
    expect(st.answered + st.ignored).toBeGreaterThan(port === 'dhcp' ? 1000 : 100); // mutations reach the policy
    // A valid client afterwards: a UEFI 4011 REQUEST (proxy) or an INFORM from 127.0.0.1 (full).
    const client = await udp(mode === 'full' ? dhcpPort + 1 : 0);
    const answer = nextAnswer(client);
    const valid = mode === 'full' ? encodePacket(request({ type: 'INFORM', ciaddr: '127.0.0.1' })) : ovmf4011();
    client.send(valid, mode === 'full' ? dhcpPort : proxyPort, '127.0.0.1');
    const r = decodePacket(await answer);
    client.close();
    expect(r.ok && messageType(r.packet)).toBe('ACK');
  }, 120_000);
});
