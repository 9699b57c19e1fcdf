/**
 * The boot flow end to end with real firmware (issue 4): QEMU under TCG in the lab of DESIGN.md section 11,
 * a busybox initramfs on a Debian kernel standing in for Talos. One file, so its VMs run one at a time.
 *
 * - BIOS (tests 1, 2, 3, 5): Metalbox in full DHCP mode; SeaBIOS with the e1000's iPXE ROM.
 * - UEFI (test 4): OVMF's own PXE stack on a virtio NIC beside a "home router" (dnsmasq) handing out
 *   addresses; Metalbox in proxy DHCP mode gives ipxe.efi over TFTP, then the iPXE script. The machine is
 *   parked when it shows up and picked up by the park loop once allocated, without a reset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from '../../src/api/index.js';
import { startDnsmasqDhcp } from '../lab/dnsmasq.js';
import { Lab, type Host, type Segment } from '../lab/lab.js';
import type { NodeChild } from '../lab/node.js';
import { OVMF_CODE, startVm, type Vm } from '../lab/qemu.js';
import { waitUntil } from '../lab/sh.js';
import { printedConfig } from '../lab/standin.js';
import { missing, skipNote } from '../support/needs.js';
import { curlStatus, e2eMissing, eventsSeen, startMetalbox, waitEvent } from './support/rig.js';

const why = e2eMissing();
const BIOS_UUID = '5e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b';
const BIOS_MAC = '52:54:00:e2:e0:01';

describe.skipIf(why)(`BIOS machine, full DHCP: discovery, install with a boot token, boot from disk, park${skipNote(why)}`, () => {
  let lab: Lab;
  let metalbox: NodeChild;
  let other: Host;
  let vm: Vm;
  let lan: Segment;

  beforeAll(async () => {
    lab = await Lab.create('e2ebios');
    lan = await lab.segment('lan');
    const box = await lab.host('box', lan, '10.77.4.1/24');
    other = await lab.host('other', lan, '10.77.4.2/24');
    metalbox = await startMetalbox(lab, box, { cidr: '10.77.4.1/24', mode: 'full', range: '10.77.4.100-10.77.4.150', parkInterval: 5 });
  }, 120_000);
  afterAll(async () => {
    await vm?.stop();
    await metalbox?.stop();
    await lab?.cleanup();
  });

  const server = async () => (await metalbox.call<Server | null>('get', { kind: 'Server', name: BIOS_UUID })) ?? undefined;

  it('1. a new machine shows up within 60 s as a Server named by its UUID, with its SMBIOS hardware', async () => {
    vm = await startVm(lab, lan, {
      firmware: 'bios',
      mac: BIOS_MAC,
      noReboot: false,
      smbios: {
        type1: { manufacturer: 'Metalbox Labs', product: 'E2E Rack Unit', version: 'rev-7', serial: 'E2E-SERIAL-0042', uuid: BIOS_UUID, sku: 'SKU-E2E', family: 'Lab Family' },
        type4: { manufacturer: 'GenuineMetal', version: 'Metal CPU 9000' },
      },
    });
    const s = await waitUntil(server, 60_000, `Server ${BIOS_UUID}`, 500);
    expect(s.metadata.name).toBe(BIOS_UUID);
    expect(s.spec?.accepted).toBe(false);
    expect(s.spec?.hardware?.system).toEqual({
      uuid: BIOS_UUID,
      manufacturer: 'Metalbox Labs',
      productName: 'E2E Rack Unit',
      version: 'rev-7',
      serialNumber: 'E2E-SERIAL-0042',
      skuNumber: 'SKU-E2E',
      family: 'Lab Family',
    });
    expect(s.spec?.hardware?.compute?.processors?.[0]).toMatchObject({ manufacturer: 'GenuineMetal', productName: 'Metal CPU 9000' });
    expect(s.spec?.hardware?.network?.interfaces).toEqual([{ index: 0, mac: BIOS_MAC }]);
    expect(JSON.parse(s.metadata.annotations?.['metalbox.dev/boot-facts'] ?? '{}')).toMatchObject({ arch: 'i386', platform: 'pcbios' });
    await waitEvent(metalbox, (e) => e.type === 'boot.ipxe' && e['server'] === BIOS_UUID && e['decision'] === 'park', 30_000, 'the park decision');
    await vm.waitForSerial(/is parked: not accepted yet/, 30_000);
  }, 120_000);

  it('2 and 3. accepted and allocated, reset: it boots the install environment and fetches its config with the token', async () => {
    await metalbox.call('accept', { server: BIOS_UUID });
    await metalbox.call('allocate', { server: BIOS_UUID });
    const q = await vm.qmp();
    await q.execute('system_reset');
    q.close();
    const printed = await waitUntil(() => printedConfig(vm.serial()), 180_000, 'the stand-in to print its config', 1000).catch((e: Error) => {
      throw new Error(`${e.message}\n--- serial ---\n${vm.serial().slice(-3000)}`);
    });
    expect(printed.failed).toBe(false);
    expect(printed.config).toBe(await metalbox.call<string>('expected', { server: BIOS_UUID }));
    expect(printed.url).toMatch(new RegExp(`^http://10\\.77\\.4\\.1:8081/configdata\\?uuid=${BIOS_UUID}&t=[A-Za-z0-9_-]{43}$`));
    const kinds = eventsSeen(metalbox).filter((e) => e['server'] === BIOS_UUID).map((e) => `${e.type}${e['decision'] ? ` ${String(e['decision'])}` : ''}${e['file'] ? ` ${String(e['file'])}` : ''}`);
    expect(kinds).toEqual(expect.arrayContaining(['boot.ipxe install', 'boot.asset vmlinuz', 'boot.asset initramfs.xz', 'boot.config']));

    expect(await curlStatus(other, printed.url)).toBe(403);
    const denied = await waitEvent(metalbox, (e) => e.type === 'audit.denied', 10_000, 'the audit event');
    expect(denied).toMatchObject({ peer: '10.77.4.2', path: '/configdata', server: BIOS_UUID });
    expect(JSON.stringify(eventsSeen(metalbox))).not.toContain(printed.url.split('&t=')[1]);
  }, 240_000);

  it('5. installed: told to boot from disk (exit); cordoned: parked', async () => {
    await metalbox.call('install', { server: BIOS_UUID, installed: true });
    let q = await vm.qmp();
    await q.execute('system_reset');
    q.close();
    await waitEvent(metalbox, (e) => e.type === 'boot.ipxe' && e['decision'] === 'boot from disk (ipxe-exit)', 90_000, 'boot from disk');
    await vm.waitForSerial(/Talos is installed; booting from\s+disk[\s\S]*No bootable device/, 60_000);

    await metalbox.call('install', { server: BIOS_UUID, installed: false });
    await metalbox.call('cordon', { server: BIOS_UUID, cordoned: true });
    q = await vm.qmp();
    await q.execute('system_reset');
    q.close();
    await waitEvent(metalbox, (e) => e.type === 'boot.ipxe' && e['decision'] === 'park' && e['detail'] === 'cordoned', 90_000, 'the cordoned park');
    await vm.waitForSerial(/is parked: cordoned/, 30_000);
    // The park loop asks again by itself (parkInterval 5 s), without a reboot.
    // (The event log tells a repeated park once; the machine's console shows every round.)
    await waitUntil(() => (vm.serial().split('is parked: cordoned').length > 2 ? true : undefined), 60_000, 'a second ask from the park loop', 1000);
  }, 240_000);
});

const whyUefi = e2eMissing() ?? missing(`file:${OVMF_CODE}`, 'bin:dnsmasq', 'file:/usr/lib/ipxe/ipxe.efi');
const UEFI_UUID = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';
const UEFI_MAC = '52:54:00:e2:e0:02';

describe.skipIf(whyUefi)(`UEFI machine, proxy DHCP beside another DHCP server, ipxe.efi over TFTP${skipNote(whyUefi)}`, () => {
  let lab: Lab;
  let metalbox: NodeChild;
  let vm: Vm;

  beforeAll(async () => {
    lab = await Lab.create('e2euefi');
    const lan = await lab.segment('lan');
    const router = await lab.host('router', lan, '10.77.5.254/24');
    const box = await lab.host('box', lan, '10.77.5.1/24');
    const dnsmasq = startDnsmasqDhcp(lab, router, { range: '10.77.5.100,10.77.5.150', noPing: true });
    await dnsmasq.waitForOutput(/started/, 10_000);
    metalbox = await startMetalbox(lab, box, { cidr: '10.77.5.1/24', mode: 'proxy', parkInterval: 5 });
    vm = await startVm(lab, lan, {
      firmware: 'uefi',
      mac: UEFI_MAC,
      memoryMb: 512,
      smbios: { type1: { manufacturer: 'Metalbox Labs', product: 'E2E UEFI Unit', serial: 'E2E-UEFI-7', uuid: UEFI_UUID } },
    });
  }, 120_000);
  afterAll(async () => {
    await vm?.stop();
    await metalbox?.stop();
    await lab?.cleanup();
  });

  it('4. shows up (parked), and once allocated installs from the park loop and fetches its config', async () => {
    const server = async () => (await metalbox.call<Server | null>('get', { kind: 'Server', name: UEFI_UUID })) ?? undefined;
    const s = await waitUntil(server, 240_000, `Server ${UEFI_UUID}`, 1000).catch((e: Error) => {
      throw new Error(`${e.message}\n--- serial ---\n${vm.serial().slice(-3000)}`);
    });
    expect(s.spec?.hardware?.system).toMatchObject({ uuid: UEFI_UUID, manufacturer: 'Metalbox Labs', productName: 'E2E UEFI Unit', serialNumber: 'E2E-UEFI-7' });
    expect(JSON.parse(s.metadata.annotations?.['metalbox.dev/boot-facts'] ?? '{}')).toMatchObject({ arch: 'x86_64', platform: 'efi' });
    expect(eventsSeen(metalbox).some((e) => e.type === 'tftp.transfer' && String(e['file']) === 'ipxe.efi')).toBe(true);
    await waitEvent(metalbox, (e) => e.type === 'boot.ipxe' && e['server'] === UEFI_UUID && e['decision'] === 'park', 30_000, 'the park decision');

    await metalbox.call('accept', { server: UEFI_UUID });
    await metalbox.call('allocate', { server: UEFI_UUID });
    const printed = await waitUntil(() => printedConfig(vm.serial()), 240_000, 'the stand-in to print its config', 1000).catch((e: Error) => {
      throw new Error(`${e.message}\n--- serial ---\n${vm.serial().slice(-3000)}`);
    });
    expect(printed.failed).toBe(false);
    expect(printed.config).toBe(await metalbox.call<string>('expected', { server: UEFI_UUID }));
    expect(printed.url).toMatch(new RegExp(`^http://10\\.77\\.5\\.1:8081/configdata\\?uuid=${UEFI_UUID}&t=`));
  }, 600_000);
});
