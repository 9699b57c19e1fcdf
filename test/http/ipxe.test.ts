import { afterEach, describe, expect, it } from 'vitest';
import type { Server } from '../../src/api/index.js';
import { allocation, fetchRaw, importFakeAssets, startRig, T0, type Rig } from './helpers.js';

const UUID = '8d9a4f2e-1b3c-4d5e-9f60-718293a4b5c6';
const Q = `uuid=${UUID.toUpperCase()}&mac=52-54-00-12-34-56&macs=52-54-00-12-34-56,&nic=net0&arch=i386&platform=pcbios&manufacturer=Metalbox%20Labs&product=Rack%20Unit&serial=SN-1&cpu-manufacturer=GenuineMetal&cpu-cores=04&cpu-threads=08`;

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const ipxe = (r: Rig, q = Q) => fetchRaw(`${r.base}/ipxe?${q}`);
const server = (r: Rig, name = UUID) => r.store.get<Server>('Server', name);

async function accept(r: Rig, name = UUID, change: (s: Server) => void = () => undefined): Promise<void> {
  await r.store.mutate<Server>('Server', name, undefined, (s) => {
    s.spec!.accepted = true;
    change(s);
    return s;
  });
}

describe('/ipxe: discovery', () => {
  it('registers an unknown machine (not accepted), with its hardware, and parks it', async () => {
    rig = await startRig();
    const r = await ipxe(rig);
    expect(r.status).toBe(200);
    expect(r.text).toContain(`is parked: not accepted yet`);
    expect(r.text).toContain(`chain --replace ${rig.base}/ipxe?uuid=${UUID}&mac=52-54-00-12-34-56`);
    const s = server(rig)!;
    expect(s.spec?.accepted).toBe(false);
    expect(s.spec?.hardware?.system).toMatchObject({ uuid: UUID, manufacturer: 'Metalbox Labs', productName: 'Rack Unit', serialNumber: 'SN-1' });
    expect(s.spec?.hardware?.compute?.processors).toEqual([{ manufacturer: 'GenuineMetal', coreCount: 4, threadCount: 8 }]);
    expect(s.spec?.hardware?.network?.interfaces).toEqual([{ index: 0, mac: '52:54:00:12:34:56' }]);
    expect(JSON.parse(s.metadata.annotations!['metalbox.dev/boot-facts']!)).toMatchObject({ arch: 'i386', platform: 'pcbios', nic: { name: 'net0' } });
    expect(rig.eventsOf('server.discovered')).toEqual([{ type: 'server.discovered', server: UUID, mac: '52:54:00:12:34:56', accepted: false }]);
    expect(rig.eventsOf('boot.ipxe')[0]).toMatchObject({ server: UUID, decision: 'park' });
  });

  it('accepts new servers itself when autoAcceptServers is on', async () => {
    rig = await startRig({ settings: (s) => void (s.autoAcceptServers = true) });
    await ipxe(rig);
    expect(server(rig)?.spec?.accepted).toBe(true);
  });

  it('refreshes the hardware on every boot, and writes nothing when nothing changed', async () => {
    rig = await startRig();
    await ipxe(rig);
    const rv = server(rig)!.metadata.resourceVersion;
    await ipxe(rig);
    expect(server(rig)!.metadata.resourceVersion).toBe(rv);
    await ipxe(rig, Q.replace('SN-1', 'SN-2'));
    expect(server(rig)!.spec?.hardware?.system?.serialNumber).toBe('SN-2');
  });

  it('a machine re-asking from its park loop is logged once, not every round', async () => {
    rig = await startRig();
    for (let i = 0; i < 5; i++) expect((await ipxe(rig)).status).toBe(200);
    expect(rig.eventsOf('boot.ipxe').map((e) => e['decision'])).toEqual(['park']);
    await accept(rig);
    await ipxe(rig);
    expect(rig.eventsOf('boot.ipxe').map((e) => e['detail'])).toEqual(['not accepted yet: accept it to use it', 'accepted and waiting to be allocated']);
  });

  it('at most discoveryBudget new Servers a minute: the rest are told to come back (503), nothing is written', async () => {
    rig = await startRig({ service: { discoveryBudget: 2 } });
    const statuses = [];
    for (const n of ['01', '02', '03']) statuses.push((await ipxe(rig, `mac=52-54-00-00-00-${n}`)).status);
    expect(statuses).toEqual([200, 200, 503]);
    expect(rig.store.list('Server')).toHaveLength(2);
    expect((await ipxe(rig, 'mac=52-54-00-00-00-01')).status).toBe(200);
  });

  it('a placeholder UUID: the machine is known by its MAC, and the events say so', async () => {
    rig = await startRig();
    await ipxe(rig, Q.replace(UUID.toUpperCase(), '00000000-0000-0000-0000-000000000000'));
    expect(server(rig, '52-54-00-12-34-56')).toBeDefined();
    expect(server(rig, '00000000-0000-0000-0000-000000000000')).toBeUndefined();
    expect(rig.eventsOf('server.identity')[0]).toMatchObject({ server: '52-54-00-12-34-56', reason: expect.stringContaining('placeholder') });
  });

  it('a second machine reporting the same UUID with another MAC gets its own Server', async () => {
    rig = await startRig();
    await ipxe(rig);
    await ipxe(rig, Q.replaceAll('52-54-00-12-34-56', '52-54-00-99-99-99'));
    expect(rig.store.list('Server').map((s) => s.metadata.name).sort()).toEqual(['52-54-00-99-99-99', UUID]);
  });
});

describe('/ipxe: decisions', () => {
  it('an allocated server whose environment is not cached: 412 with the reason', async () => {
    rig = await startRig();
    await ipxe(rig);
    await accept(rig);
    for (const o of allocation(UUID)) await rig.store.create(o);
    const r = await ipxe(rig);
    expect(r.status).toBe(412);
    expect(r.text).toContain('environment "default" is not ready: kernel not in the asset cache');
    expect(rig.eventsOf('boot.ipxe').at(-1)).toMatchObject({ decision: 'refused' });
  });

  it('an allocated server gets the install environment with a boot token, kept only as a hash', async () => {
    rig = await startRig();
    await importFakeAssets(rig);
    await ipxe(rig);
    await accept(rig);
    for (const o of allocation(UUID)) await rig.store.create(o);
    const r = await ipxe(rig);
    expect(r.status).toBe(200);
    const kernel = r.text.split('\n').find((l) => l.startsWith('kernel '))!;
    expect(kernel).toMatch(new RegExp(`^kernel ${rig.base}/env/default/vmlinuz console=tty0 .* talos\\.platform=metal `));
    const token = /talos\.config=http:\/\/127\.0\.0\.1:\d+\/configdata\?uuid=([^&]+)&t=([A-Za-z0-9_-]{43}) /.exec(kernel);
    expect(token?.[1]).toBe(UUID);
    expect(kernel).toContain('talos.events.sink=127.0.0.1:4002');
    expect(kernel).toContain('talos.logging.kernel=tcp://127.0.0.1:4001');
    expect(r.text).toContain(`initrd ${rig.base}/env/default/initramfs.xz`);
    const stored = server(rig)!.metadata.annotations!['metalbox.dev/boot-token']!;
    expect(stored).toMatch(/^sha256=[0-9a-f]{64};expires=.*;peer=127\.0\.0\.1$/);
    expect(JSON.stringify(rig.store.get('Server', UUID))).not.toContain(token![2]);
    expect(JSON.stringify(rig.records)).not.toContain(token![2]);
  });

  it.each([
    ['ipxe-exit', 200, /\nexit\n$/],
    ['ipxe-sanboot', 200, /sanboot --no-describe --drive 0x80/],
    ['http-404', 404, /not found/],
  ] as const)('an installed server boots from disk by %s', async (method, status, body) => {
    rig = await startRig({ settings: (s) => void (s.bootFromDiskMethod = method) });
    await ipxe(rig);
    await accept(rig);
    for (const o of allocation(UUID)) await rig.store.create(o);
    await rig.store.mutate<Server>('Server', UUID, undefined, (s) => {
      s.status = { ...s.status, conditions: [{ type: 'PXEBooted', status: 'True', lastTransitionTime: T0 }] };
      return s;
    });
    const r = await ipxe(rig);
    expect(r.status).toBe(status);
    expect(r.text).toMatch(body);
    expect(rig.eventsOf('boot.ipxe').at(-1)).toMatchObject({ decision: `boot from disk (${method})` });
  });

  it('a cordoned server is parked, and any token it had is withdrawn', async () => {
    rig = await startRig();
    await importFakeAssets(rig);
    await ipxe(rig);
    await accept(rig);
    for (const o of allocation(UUID)) await rig.store.create(o);
    await ipxe(rig);
    expect(server(rig)!.metadata.annotations!['metalbox.dev/boot-token']).toBeDefined();
    await accept(rig, UUID, (s) => void (s.spec!.cordoned = true));
    const r = await ipxe(rig);
    expect(r.text).toContain('is parked: cordoned');
    expect(server(rig)!.metadata.annotations!['metalbox.dev/boot-token']).toBeUndefined();
  });

  it('a released, dirty server gets the wipe environment without a config URL', async () => {
    rig = await startRig();
    await importFakeAssets(rig);
    await ipxe(rig);
    await accept(rig, UUID, (s) => void (s.status = { isClean: false }));
    const r = await ipxe(rig);
    expect(r.text).toContain(': wipe with environment default');
    expect(r.text).not.toContain('talos.config=');
  });

  it('an arm64 machine uses default-arm64', async () => {
    rig = await startRig();
    await ipxe(rig, Q.replace('arch=i386', 'arch=arm64'));
    await accept(rig);
    for (const o of allocation(UUID)) await rig.store.create(o);
    const r = await ipxe(rig, Q.replace('arch=i386', 'arch=arm64'));
    expect(r.status).toBe(412);
    expect(r.text).toContain('environment "default-arm64" is not ready');
  });
});
