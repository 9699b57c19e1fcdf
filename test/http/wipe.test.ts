/**
 * The wipe of a released server through the boot flow: the wipe environment boots Talos with
 * talos.experimental.wipe=system (it resets the system disk and reboots), and a machine that fetched that
 * environment in full and comes back to /ipxe is clean again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Environment, Server } from '../../src/api/index.js';
import { allocation, fetchRaw, importFakeAssets, startRig, type Rig } from './helpers.js';

const UUID = '3c1f5e2a-9b8d-4c7e-a6f5-0e1d2c3b4a59';
const Q = `uuid=${UUID}&mac=52-54-00-77-00-01&nic=net0&arch=x86_64&platform=efi`;

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const ipxe = (r: Rig) => fetchRaw(`${r.base}/ipxe?${Q}`);
const server = (r: Rig) => r.store.get<Server>('Server', UUID)!;

/** A known, accepted server that was released and is dirty, with the default Environment cached. */
async function releasedServer(): Promise<Rig> {
  const r = await startRig();
  await importFakeAssets(r);
  await ipxe(r);
  await r.store.mutate<Server>('Server', UUID, undefined, (s) => {
    s.spec!.accepted = true;
    s.status = { inUse: false, isClean: false };
    return s;
  });
  return r;
}

async function fetchBootFiles(r: Rig, files = ['vmlinuz', 'initramfs.xz']): Promise<void> {
  for (const f of files) expect((await fetchRaw(`${r.base}/env/default/${f}`)).status).toBe(200);
}

describe('wiping a released server', () => {
  it('boots Talos with talos.experimental.wipe=system and no config; back at /ipxe it is clean and parked', async () => {
    rig = await releasedServer();
    const script = await ipxe(rig);
    expect(script.text).toContain(': wipe with environment default');
    const kernel = script.text.split('\n').find((l) => l.startsWith('kernel '))!;
    expect(kernel).toContain(' talos.experimental.wipe=system');
    expect(kernel).not.toContain('talos.config=');
    await fetchBootFiles(rig);
    expect(rig.eventsOf('boot.asset').map((e) => e['server'])).toEqual([UUID, UUID]);
    expect(server(rig).status?.isClean).toBe(false);

    const again = await ipxe(rig);
    expect(again.text).toContain('is parked: accepted and waiting to be allocated');
    expect(server(rig).status?.isClean).toBe(true);
    expect(rig.eventsOf('server.wiped')).toEqual([expect.objectContaining({ server: UUID })]);
  });

  it('not clean when the boot files were not all fetched in full', async () => {
    rig = await releasedServer();
    await ipxe(rig);
    await fetchBootFiles(rig, ['vmlinuz']);
    expect((await fetchRaw(`${rig.base}/env/default/initramfs.xz`, { headers: { range: 'bytes=0-99' } })).status).toBe(206);
    expect((await ipxe(rig)).text).toContain(': wipe with environment default');
    expect(server(rig).status?.isClean).toBe(false);
    expect(rig.eventsOf('server.wiped')).toEqual([]);
  });

  it('not clean when iPXE reports that it could not boot the wipe environment', async () => {
    rig = await releasedServer();
    const script = await ipxe(rig);
    expect(script.text).toContain('/boot.ipxe?failed=wipe');
    await fetchBootFiles(rig);
    expect((await fetchRaw(`${rig.base}/boot.ipxe?failed=wipe`)).status).toBe(200);
    expect(rig.eventsOf('boot.ipxe').at(-1)).toMatchObject({ server: UUID, decision: 'boot failed' });
    expect((await ipxe(rig)).text).toContain(': wipe with environment default');
    expect(server(rig).status?.isClean).toBe(false);
  });

  it('a server allocated again meanwhile is not marked clean by a stale wipe', async () => {
    rig = await releasedServer();
    await ipxe(rig);
    await fetchBootFiles(rig);
    for (const o of allocation(UUID)) await rig.store.create(o);
    expect((await ipxe(rig)).text).toContain(': install with environment default');
    expect(server(rig).status?.isClean).toBe(false);
    expect(rig.eventsOf('server.wiped')).toEqual([]);
  });

  it('an install environment that sets talos.experimental.wipe is refused with the reason (412)', async () => {
    rig = await startRig();
    await importFakeAssets(rig);
    await ipxe(rig);
    await rig.store.mutate<Server>('Server', UUID, undefined, (s) => {
      s.spec!.accepted = true;
      return s;
    });
    await rig.store.mutate<Environment>('Environment', 'default', undefined, (e) => {
      e.spec!.kernel!.args = [...(e.spec!.kernel!.args ?? []), 'talos.experimental.wipe=system'];
      return e;
    });
    for (const o of allocation(UUID)) await rig.store.create(o);
    const r = await ipxe(rig);
    expect(r.status).toBe(412);
    expect(r.text).toContain('talos.experimental.wipe');
    expect(server(rig).metadata.annotations?.['metalbox.dev/boot-token']).toBeUndefined();
  });
});
