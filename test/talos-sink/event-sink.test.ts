/**
 * The event sink end to end: a real HTTP service serves the install script (which mints the boot token
 * and so records the machine's address), a real gRPC client publishes what Talos publishes during a PXE
 * install, and the store and the next `/ipxe` answer show the outcome.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Condition, Server, ServerBinding } from '../../src/api/index.js';
import { PeerDirectory, TalosEventSink } from '../../src/talos-sink/index.js';
import { allocation, fetchRaw, importFakeAssets, startRig, type Rig } from '../http/helpers.js';
import { badConfig, diskBoot, pxeInstall, TalosSinkClient } from './talos.js';

const UUID = '5f0c8e2a-9b1d-4c3e-8a7f-6e5d4c3b2a19';
const Q = `uuid=${UUID}&mac=52-54-00-aa-bb-01&macs=52-54-00-aa-bb-01,&nic=net0&arch=x86_64&platform=efi&manufacturer=Lab&product=Box&serial=S1`;

let rig: Rig | undefined;
let sink: TalosEventSink | undefined;
let client: TalosSinkClient | undefined;

afterEach(async () => {
  client?.close();
  await sink?.stop();
  await rig?.close();
  client = sink = rig = undefined;
});

const ipxe = (r: Rig) => fetchRaw(`${r.base}/ipxe?${Q}`);
const cond = (list: Condition[] | undefined, type: string) => list?.find((c) => c.type === type);
const binding = (r: Rig) => r.store.get<ServerBinding>('ServerBinding', UUID)!;
const server = (r: Rig) => r.store.get<Server>('Server', UUID)!;

/** An accepted, allocated server whose install script was just fetched from 127.0.0.1, and the sink. */
async function installing(): Promise<{ r: Rig; s: TalosEventSink; c: TalosSinkClient }> {
  const r = (rig = await startRig());
  await importFakeAssets(r);
  await ipxe(r);
  await r.store.mutate<Server>('Server', UUID, undefined, (s) => void (s.spec!.accepted = true));
  for (const o of allocation(UUID)) await r.store.create(o);
  const script = await ipxe(r);
  expect(script.text).toContain('talos.events.sink=127.0.0.1:');
  const s = (sink = new TalosEventSink({ settings: r.settings, store: r.store, events: r.events, peers: new PeerDirectory(r.store), host: '127.0.0.1', port: 0 }));
  await s.start();
  const c = (client = new TalosSinkClient(`127.0.0.1:${s.port()}`));
  return { r, s, c };
}

describe('Talos event sink', () => {
  it('a PXE install reported by Talos marks the server installed, and its next network boot goes to the disk', async () => {
    const { r, s, c } = await installing();
    const events = pxeInstall('127.0.0.1');
    const cut = events.findIndex(([t, b]) => t === 'machine.PhaseEvent' && b['phase'] === 'install' && b['action'] === 'START') + 1;

    expect(new Set(await c.publishAll(events.slice(0, cut)))).toEqual(new Set([0]));
    expect(cond(binding(r).status?.conditions, 'TalosInstalled')).toMatchObject({ status: 'False', reason: 'TalosInstallationInProgress', severity: 'Info' });
    expect(binding(r).spec?.addresses).toEqual(['127.0.0.1', 'fd00:77::5']);
    expect(binding(r).spec?.hostname).toBe('talos-abc-def');
    expect((await ipxe(r)).text).toContain('talos.config=');

    expect(new Set(await c.publishAll(events.slice(cut)))).toEqual(new Set([0]));
    for (const t of ['TalosConfigLoaded', 'TalosConfigValidated', 'TalosInstalled']) expect(cond(binding(r).status?.conditions, t)?.status).toBe('True');
    expect(cond(server(r).status?.conditions, 'PXEBooted')?.status).toBe('True');
    expect(server(r).status?.addresses).toEqual([
      { type: 'InternalIP', address: '127.0.0.1' },
      { type: 'InternalIP', address: 'fd00:77::5' },
      { type: 'Hostname', address: 'talos-abc-def' },
    ]);
    expect(r.eventsOf('boot.installed')).toHaveLength(1);
    const notes = r.eventsOf('talos.event').map((e) => e['phase']);
    expect(notes).toEqual(expect.arrayContaining(['install started', 'writing Talos to the disk', 'saving the machine config', 'install finished']));
    expect(notes).not.toContain('task install');

    const disk = await ipxe(r);
    expect(disk.status).toBe(200);
    expect(disk.text).toMatch(/\nexit\n$/);
    expect(server(r).metadata.annotations?.['metalbox.dev/boot-token']).toBeUndefined();

    // From its disk, with the boot token gone: the address Talos reported still names the server.
    expect(new Set(await c.publishAll(diskBoot('127.0.0.1')))).toEqual(new Set([0]));
    expect(r.eventsOf('talos.event').map((e) => e['phase'])).toContain('boot started');
    expect(r.eventsOf('boot.installed')).toHaveLength(1);
    expect(s.stats()).toMatchObject({ unknownPeer: 0, malformed: 0, failed: 0 });
    expect(s.stats().applied).toBe(events.length + diskBoot('127.0.0.1').length);
  });

  it('a config Talos rejects shows on the binding, and the server keeps its install environment', async () => {
    const { r, c } = await installing();
    expect(await c.publishAll(badConfig())).toEqual([0, 0, 0, 0]);
    const conds = binding(r).status?.conditions;
    expect(cond(conds, 'TalosConfigValidated')).toMatchObject({ status: 'False', reason: 'TalosConfigValidationFailed', severity: 'Error', message: '1 error occurred: * install disk or diskSelector should be defined' });
    expect(cond(conds, 'TalosInstalled')).toMatchObject({ status: 'False', reason: 'TalosInstallationFailed', severity: 'Error' });
    expect(cond(conds, 'TalosInstalled')?.message).toContain('failed to find the install disk');
    expect(cond(server(r).status?.conditions, 'PXEBooted')).toBeUndefined();
    expect(r.eventsOf('boot.installed')).toHaveLength(0);
    expect((await ipxe(r)).text).toContain('talos.config=');
    expect(r.eventsOf('talos.event').at(-1)).toMatchObject({ phase: 'install failed' });
  });

  it('events from an address that is no known server are answered, ignored and told once', async () => {
    const r = (rig = await startRig());
    const s = (sink = new TalosEventSink({ settings: r.settings, store: r.store, events: r.events, peers: new PeerDirectory(r.store), host: '127.0.0.1', port: 0 }));
    await s.start();
    const c = (client = new TalosSinkClient(`127.0.0.1:${s.port()}`));
    const before = JSON.stringify(r.store.list('Server'));
    expect(await c.publishAll(pxeInstall('127.0.0.1').slice(0, 5))).toEqual([0, 0, 0, 0, 0]);
    expect(s.stats()).toMatchObject({ received: 5, unknownPeer: 5, applied: 0 });
    expect(r.eventsOf('talos.dropped')).toEqual([{ type: 'talos.dropped', from: '127.0.0.1', reason: 'Talos events from an address that is no known server (ignored)' }]);
    expect(r.eventsOf('talos.event')).toHaveLength(0);
    expect(JSON.stringify(r.store.list('Server'))).toBe(before);
  });

  it('event types it does not read are answered and skipped; a burst of events is applied in full', async () => {
    const { r, s, c } = await installing();
    expect(await c.request({ id: 'x', data: { type_url: 'type.googleapis.com/machine.RestartEvent', value: Buffer.from([8, 1]) } })).toBe(0);
    expect(await c.request({ id: 'y' })).toBe(0);
    expect(s.stats().skipped).toBe(2);
    // A burst sent without waiting: every event is applied, one at a time per server.
    const events = pxeInstall('127.0.0.1');
    const codes = await Promise.all(events.map((e) => c.publish(e)));
    expect(new Set(codes)).toEqual(new Set([0]));
    expect(s.stats()).toMatchObject({ applied: events.length, failed: 0 });
    expect(r.eventsOf('talos.event').filter((e) => e['phase'] === 'install started')).toHaveLength(1);
  });
});
