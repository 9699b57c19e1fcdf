/**
 * Real firmware against proxy mode, beside a separate DHCP server (dnsmasq, DHCP only, no boot options)
 * on the same bridge, under TCG. One VM at a time; minutes, not seconds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsmasqDhcp } from '../lab/dnsmasq.js';
import { Lab, type LabProcess } from '../lab/lab.js';
import { type NodeChild, startNode } from '../lab/node.js';
import { OVMF_CODE, startVm } from '../lab/qemu.js';
import { missing, skipNote } from '../support/needs.js';

const why = missing('root', 'netns', 'bin:qemu-system-x86_64', 'bin:dnsmasq', 'file:/usr/lib/ipxe/qemu/efi-e1000.rom', `file:${OVMF_CODE}`, 'file:/usr/lib/ipxe/ipxe.efi');

const SMBIOS = { manufacturer: 'Metal Co', product: 'Lab Box 3000', serial: 'SN-0042', uuid: '4c4c4544-0042-3010-8053-b7c04f4e3132' };

interface Bench {
  host: NodeChild;
  dnsmasq: LabProcess;
}

function events(host: NodeChild, type: string, match: Record<string, unknown> = {}): Record<string, unknown>[] {
  return host.messages
    .filter((m) => m.type === 'event' && (m.event as { type: string }).type === type)
    .map((m) => m.event as Record<string, unknown>)
    .filter((e) => Object.entries(match).every(([k, v]) => e[k] === v));
}

function httpUrls(host: NodeChild): string[] {
  return host.messages.filter((m) => m.type === 'http').map((m) => String(m.url));
}

describe.skipIf(why)(`real firmware boots against proxy mode beside dnsmasq${skipNote(why)}`, () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await Lab.create('dhcpvm');
  });
  afterAll(async () => {
    await lab?.cleanup();
  });

  async function network(label: string): Promise<Bench & { lan: Awaited<ReturnType<Lab['segment']>> }> {
    const lan = await lab.segment(label);
    const box = await lab.host(`${label}box`, lan, '10.77.0.1/24');
    const router = await lab.host(`${label}rt`, lan, '10.77.0.2/24');
    const dnsmasq = startDnsmasqDhcp(lab, router, { range: '10.77.0.100,10.77.0.150' });
    await dnsmasq.waitForOutput(/DHCP, IP range/, 10_000);
    const host = await startNode(lab, box, 'test/dhcp/support/netboot-host.ts', { cidr: '10.77.0.1/24', dataDir: lab.dir, tftp: true, http: true });
    return { lan, host, dnsmasq };
  }

  async function bootUntilSmbios(b: Bench, vmStop: () => Promise<void>): Promise<URL> {
    try {
      await b.host.waitFor((m) => m.type === 'http' && String(m.url).startsWith('/lab/smbios'), 300_000, 'iPXE to report SMBIOS');
    } finally {
      await vmStop();
    }
    return new URL(`http://x${httpUrls(b.host).find((u) => u.startsWith('/lab/smbios'))!}`);
  }

  function expectDnsmasqLeased(dnsmasq: LabProcess, mac: string): void {
    expect(dnsmasq.stdout + dnsmasq.stderr).toMatch(new RegExp(`DHCPACK\\(eth0\\) 10\\.77\\.0\\.\\d+ ${mac}`));
  }

  it('BIOS: SeaBIOS and the e1000 iPXE ROM get the boot.ipxe URL from proxy mode and fetch it', async () => {
    const mac = '52:54:00:77:b1:05';
    const b = await network('bios');
    const vm = await startVm(lab, b.lan, { firmware: 'bios', mac, smbios: { type1: SMBIOS } });
    const url = await bootUntilSmbios(b, () => vm.stop());
    const offers = events(b.host, 'dhcp.exchange', { mac, reply: 'OFFER', port: 67 });
    expect(offers[0]).toMatchObject({ arch: 0, bootFile: 'http://10.77.0.1:8081/boot.ipxe', mode: 'proxy' });
    expect(offers.every((e) => e.address === undefined)).toBe(true); // proxy mode never assigns
    expectDnsmasqLeased(b.dnsmasq, mac);
    expect(httpUrls(b.host)).toContain('/boot.ipxe');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ ...SMBIOS, mac: mac.replace(/:/g, '-') });
    await b.host.stop();
  }, 400_000);

  it('UEFI: OVMF firmware PXE fetches ipxe.efi over TFTP from us, then iPXE fetches boot.ipxe', async () => {
    const mac = '52:54:00:77:0e:f1';
    const b = await network('uefi');
    const vm = await startVm(lab, b.lan, { firmware: 'uefi', mac, smbios: { type1: SMBIOS } });
    const url = await bootUntilSmbios(b, () => vm.stop());
    expect(events(b.host, 'dhcp.exchange', { mac, reply: 'OFFER', port: 67, arch: 7 })[0]).toMatchObject({ bootFile: 'ipxe.efi' });
    expect(events(b.host, 'dhcp.exchange', { mac, reply: 'ACK', port: 4011 })[0]).toMatchObject({ bootFile: 'ipxe.efi' });
    const done = events(b.host, 'tftp.transfer', { file: 'ipxe.efi', phase: 'done', mac });
    expect(done).toHaveLength(1);
    expect(events(b.host, 'tftp.transfer', { phase: 'error' })).toEqual([]);
    expect(events(b.host, 'dhcp.exchange', { mac, reply: 'OFFER', bootFile: 'http://10.77.0.1:8081/boot.ipxe' }).length).toBeGreaterThanOrEqual(1);
    expectDnsmasqLeased(b.dnsmasq, mac);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ ...SMBIOS, mac: mac.replace(/:/g, '-') });
    const stats = await b.host.call<{ tftp: { transfers: { completed: number }; sizeQueries: number } }>('stats');
    expect(stats.tftp.transfers.completed).toBe(1);
    expect(stats.tftp.sizeQueries).toBe(1); // EDK2 asks for tsize first, then aborts
    await b.host.stop();
  }, 400_000);
});
