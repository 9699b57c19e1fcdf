/**
 * The boot flow end to end with real firmware (issue 4, tests 1, 2, 3 and 5): Metalbox in full DHCP mode
 * in a network namespace; a BIOS VM (SeaBIOS and the e1000's iPXE ROM) with distinctive SMBIOS values.
 * QEMU runs under TCG: minutes, not seconds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from '../../src/api/index.js';
import { Lab, type Host, type Segment } from '../lab/lab.js';
import type { NodeChild } from '../lab/node.js';
import { startVm, type Vm } from '../lab/qemu.js';
import { waitUntil } from '../lab/sh.js';
import { printedConfig } from '../lab/standin.js';
import { skipNote } from '../support/needs.js';
import { curlStatus, e2eMissing, eventsSeen, startMetalbox, waitEvent } from './support/rig.js';

const why = e2eMissing();
const UUID = '5e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b';
const MAC = '52:54:00:e2:e0:01';

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

  const server = async () => (await metalbox.call<Server | null>('get', { kind: 'Server', name: UUID })) ?? undefined;

  it('1. a new machine shows up within 60 s as a Server named by its UUID, with its SMBIOS hardware', async () => {
    vm = await startVm(lab, lan, {
      firmware: 'bios',
      mac: MAC,
      noReboot: false,
      smbios: {
        type1: { manufacturer: 'Metalbox Labs', product: 'E2E Rack Unit', version: 'rev-7', serial: 'E2E-SERIAL-0042', uuid: UUID, sku: 'SKU-E2E', family: 'Lab Family' },
        type4: { manufacturer: 'GenuineMetal', version: 'Metal CPU 9000' },
      },
    });
    const s = await waitUntil(server, 60_000, `Server ${UUID}`, 500);
    expect(s.metadata.name).toBe(UUID);
    expect(s.spec?.accepted).toBe(false);
    expect(s.spec?.hardware?.system).toEqual({
      uuid: UUID,
      manufacturer: 'Metalbox Labs',
      productName: 'E2E Rack Unit',
      version: 'rev-7',
      serialNumber: 'E2E-SERIAL-0042',
      skuNumber: 'SKU-E2E',
      family: 'Lab Family',
    });
    expect(s.spec?.hardware?.compute?.processors?.[0]).toMatchObject({ manufacturer: 'GenuineMetal', productName: 'Metal CPU 9000' });
    expect(s.spec?.hardware?.network?.interfaces).toEqual([{ index: 0, mac: MAC }]);
    expect(JSON.parse(s.metadata.annotations?.['metalbox.dev/boot-facts'] ?? '{}')).toMatchObject({ arch: 'i386', platform: 'pcbios' });
    await waitEvent(metalbox, (e) => e.type === 'boot.ipxe' && e['server'] === UUID && e['decision'] === 'park', 30_000, 'the park decision');
    await vm.waitForSerial(/is parked: not accepted yet/, 30_000);
  }, 120_000);

  it('2 and 3. accepted and allocated, reset: it boots the install environment and fetches its config with the token', async () => {
    await metalbox.call('accept', { server: UUID });
    await metalbox.call('allocate', { server: UUID });
    const q = await vm.qmp();
    await q.execute('system_reset');
    q.close();
    const printed = await waitUntil(() => printedConfig(vm.serial()), 180_000, 'the stand-in to print its config', 1000).catch((e: Error) => {
      throw new Error(`${e.message}\n--- serial ---\n${vm.serial().slice(-3000)}`);
    });
    expect(printed.failed).toBe(false);
    expect(printed.config).toBe(await metalbox.call<string>('expected', { server: UUID }));
    expect(printed.url).toMatch(new RegExp(`^http://10\\.77\\.4\\.1:8081/configdata\\?uuid=${UUID}&t=[A-Za-z0-9_-]{43}$`));
    const kinds = eventsSeen(metalbox).filter((e) => e['server'] === UUID).map((e) => `${e.type}${e['decision'] ? ` ${String(e['decision'])}` : ''}${e['file'] ? ` ${String(e['file'])}` : ''}`);
    expect(kinds).toEqual(expect.arrayContaining(['boot.ipxe install', 'boot.asset vmlinuz', 'boot.asset initramfs.xz', 'boot.config']));

    expect(await curlStatus(other, printed.url)).toBe(403);
    const denied = await waitEvent(metalbox, (e) => e.type === 'audit.denied', 10_000, 'the audit event');
    expect(denied).toMatchObject({ peer: '10.77.4.2', path: '/configdata', server: UUID });
    expect(JSON.stringify(eventsSeen(metalbox))).not.toContain(printed.url.split('&t=')[1]);
  }, 240_000);

  it('5. installed: told to boot from disk (exit); cordoned: parked', async () => {
    await metalbox.call('install', { server: UUID, installed: true });
    let q = await vm.qmp();
    await q.execute('system_reset');
    q.close();
    await waitEvent(metalbox, (e) => e.type === 'boot.ipxe' && e['decision'] === 'boot from disk (ipxe-exit)', 90_000, 'boot from disk');
    await vm.waitForSerial(/Talos is installed; booting from\s+disk[\s\S]*No bootable device/, 60_000);

    await metalbox.call('install', { server: UUID, installed: false });
    await metalbox.call('cordon', { server: UUID, cordoned: true });
    q = await vm.qmp();
    await q.execute('system_reset');
    q.close();
    await waitEvent(metalbox, (e) => e.type === 'boot.ipxe' && e['decision'] === 'park' && e['detail'] === 'cordoned', 90_000, 'the cordoned park');
    await vm.waitForSerial(/is parked: cordoned/, 30_000);
    // The park loop asks again by itself (parkInterval 5 s), without a reboot.
    await waitUntil(() => eventsSeen(metalbox).filter((e) => e.type === 'boot.ipxe' && e['detail'] === 'cordoned').length >= 2 || undefined, 60_000, 'a second ask from the park loop', 1000);
  }, 240_000);
});
