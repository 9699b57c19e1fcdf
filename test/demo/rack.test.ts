/**
 * The demo rack end to end on loopback: simulated machines discover themselves through real DHCP, TFTP
 * and HTTP; an accepted one allocated to a cluster is sent to install and fetches its machine config.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import 'reflect-metadata';
import type { Server } from '../../src/api/index.js';
import { simulatedHardware, startDemo, type Demo } from '../../src/demo/index.js';
import type { EventRecord } from '../../src/events/index.js';
import { runOp } from '../../src/ops/index.js';

let demo: Demo;
const seen: EventRecord[] = [];

async function until(pred: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  demo = await startDemo({ servers: 3, speed: 5, stagger: 0.2 });
  demo.app.events.subscribe((r) => void seen.push(r));
  await demo.ready;
});

afterAll(async () => {
  await demo?.stop();
});

describe('the demo rack', () => {
  it('boots every machine through DHCP, TFTP and iPXE until Metalbox knows it with its hardware', async () => {
    await until(() => demo.app.store.list('Server').length === 3);
    for (let i = 0; i < 3; i++) {
      const hw = simulatedHardware(i);
      const s = demo.app.store.get<Server>('Server', hw.uuid);
      expect(s?.spec?.hardware?.system?.manufacturer).toBe(hw.manufacturer);
      expect(s?.spec?.hardware?.network?.interfaces?.map((n) => n.mac)).toContain(hw.nics[0]!.mac);
    }
    await until(() => seen.some((r) => r.event.type === 'boot.ipxe' && r.event.decision === 'park'));
    expect(seen.some((r) => r.event.type === 'dhcp.exchange' && r.event.reply === 'OFFER')).toBe(true);
    expect(seen.some((r) => r.event.type === 'tftp.transfer' && r.event.phase === 'done')).toBe(true);
    expect(demo.machines.every((m) => m.state !== 'off')).toBe(true);
  });

  it('installs a machine accepted and claimed by a cluster: kernel, initrd, its config with the boot token, Talos reporting back, then its disk', async () => {
    const hw = simulatedHardware(0);
    await runOp(demo.app.ops, 'servers.accept', { name: hw.uuid });
    await runOp(demo.app.ops, 'clusters.create', { name: 'demo', endpoint: '10.5.0.10', controlPlanes: { count: 1, serverClass: 'any' }, workers: { count: 0, serverClass: 'any' } });
    await until(() => seen.some((r) => r.event.type === 'boot.config' && r.event.server === hw.uuid && r.event.outcome === 'served'), 60_000);
    const kinds = seen.filter((r) => (r.event as { server?: string }).server === hw.uuid).map((r) => r.event.type);
    expect(kinds).toContain('boot.asset');
    // Talos's reports (event sink, kernel log) mark it installed; its next boot goes to the disk.
    await until(() => demo.machines[0]!.state === 'running', 60_000);
    const s = demo.app.store.get<Server>('Server', hw.uuid);
    expect(s?.status?.conditions?.some((c) => c.type === 'PXEBooted' && c.status === 'True')).toBe(true);
    expect(seen.some((r) => r.event.type === 'talos.log' && r.event.server === hw.uuid)).toBe(true);
    expect(seen.some((r) => r.event.type === 'boot.ipxe' && r.event.server === hw.uuid && r.event.decision.startsWith('boot from disk'))).toBe(true);
    // The others are still parked, never sent to install.
    for (const i of [1, 2]) {
      const other = simulatedHardware(i).uuid;
      expect(seen.some((r) => r.event.type === 'boot.config' && r.event.server === other)).toBe(false);
    }
  }, 150_000);

  it('gives every machine a BMC that Metalbox powers it off and on through (QMP over loopback)', async () => {
    const hw = simulatedHardware(2);
    const m = demo.machines[2]!;
    await until(() => !!demo.app.store.get<Server>('Server', hw.uuid)?.metadata.annotations?.['metalbox.dev/qemu-qmp']);
    expect(demo.app.store.get<Server>('Server', hw.uuid)?.metadata.annotations?.['metalbox.dev/power-driver']).toBe('qemu');
    expect(m.powered).toBe(true);
    await runOp(demo.app.ops, 'power.action', { server: hw.uuid, action: 'off' });
    expect(m.powered).toBe(false);
    expect(m.state).toBe('off');
    await until(() => demo.app.store.get<Server>('Server', hw.uuid)?.status?.power === 'off');
    const from = seen.length;
    await runOp(demo.app.ops, 'power.action', { server: hw.uuid, action: 'on' });
    expect(m.powered).toBe(true);
    // Powered on again, it network-boots (DHCP from its MAC) and parks as before.
    await until(() => seen.slice(from).some((r) => r.event.type === 'dhcp.exchange' && r.event.mac === hw.nics[0]!.mac));
    await until(() => m.state === 'parked');
    await until(() => demo.app.store.get<Server>('Server', hw.uuid)?.status?.power === 'on');
  }, 60_000);

  it('removes its data directory when it stops', async () => {
    const dir = demo.dataDir;
    expect(existsSync(dir)).toBe(true);
    await demo.stop();
    expect(existsSync(dir)).toBe(false);
  });
});
