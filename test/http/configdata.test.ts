import { afterEach, describe, expect, it } from 'vitest';
import type { Server } from '../../src/api/index.js';
import { renderServerConfig } from '../../src/talos/index.js';
import { allocation, fetchRaw, importFakeAssets, MACHINE_CONFIG, startRig, T0, type Rig } from './helpers.js';

const UUID = '8d9a4f2e-1b3c-4d5e-9f60-718293a4b5c6';
const Q = `uuid=${UUID}&mac=52-54-00-12-34-56&arch=x86_64&platform=efi`;

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** A server allocated and given its install script: returns the configdata URL with its token. */
async function installing(r: Rig, opts: { serverClass?: string; skip?: string[] } = {}): Promise<{ url: string; token: string }> {
  await importFakeAssets(r);
  await fetchRaw(`${r.base}/ipxe?${Q}`);
  await r.store.mutate<Server>('Server', UUID, undefined, (s) => {
    s.spec!.accepted = true;
    return s;
  });
  for (const o of allocation(UUID, opts)) if (!opts.skip?.includes(o.kind)) await r.store.create(o);
  const script = (await fetchRaw(`${r.base}/ipxe?${Q}`)).text;
  const m = /talos\.config=(\S+&t=(\S+))/.exec(script);
  if (!m) throw new Error(`no talos.config in:\n${script}`);
  return { url: m[1]!, token: m[2]! };
}

describe('/configdata: the machine config behind a boot token', () => {
  it('serves the config found through binding, MetalMachine, Machine and Secret, with the node label', async () => {
    rig = await startRig();
    const { url } = await installing(rig);
    const r = await fetchRaw(url);
    expect(r.status).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.text).toBe(renderServerConfig(MACHINE_CONFIG, { server: { name: UUID } }));
    expect(r.text).toContain(`node-labels: metal.sidero.dev/uuid=${UUID}`);
    expect(rig.eventsOf('boot.config').at(-1)).toMatchObject({ server: UUID, outcome: 'served' });
  });

  it('applies the bound ServerClass\'s patches, then the Server\'s', async () => {
    rig = await startRig();
    await rig.store.create({
      apiVersion: 'metal.sidero.dev/v1alpha2',
      kind: 'ServerClass',
      metadata: { name: 'workers' },
      spec: { qualifiers: {}, selector: {}, strategicPatches: ['machine:\n  install:\n    disk: /dev/nvme0n1\n'], configPatches: [{ op: 'add', path: '/machine/install/wipe', value: false }] },
    });
    const { url } = await installing(rig, { serverClass: 'workers' });
    await rig.store.mutate<Server>('Server', UUID, undefined, (s) => {
      s.spec!.configPatches = [{ op: 'replace', path: '/machine/install/wipe', value: true }];
      return s;
    });
    const r = await fetchRaw(url);
    expect(r.status).toBe(200);
    expect(r.text).toContain('disk: /dev/nvme0n1');
    expect(r.text).toContain('wipe: true');
  });

  it('the same token from another address: 403, and the audit log has the address but not the token', async () => {
    rig = await startRig();
    const { url, token } = await installing(rig);
    const r = await fetchRaw(url, { localAddress: '127.0.0.2' });
    expect(r.status).toBe(403);
    expect(r.text).toBe('forbidden\n');
    const denied = rig.eventsOf('audit.denied');
    expect(denied).toEqual([{ type: 'audit.denied', peer: '127.0.0.2', path: '/configdata', server: UUID, reason: 'request from 127.0.0.2, but the token was issued to 127.0.0.1' }]);
    expect(JSON.stringify(rig.records)).not.toContain(token);
    expect((await fetchRaw(url)).status).toBe(200);
  });

  it.each([
    ['no token', (u: string) => u.replace(/&t=.*/, '')],
    ['a wrong token', (u: string) => u.replace(/&t=(.)/, (_m, c: string) => `&t=${c === 'A' ? 'B' : 'A'}`)],
    ['an unknown server', (u: string) => u.replace(UUID, '11111111-2222-3333-4444-555555555555')],
    ['no uuid', (u: string) => u.replace(/uuid=[^&]+/, 'uuid=')],
  ])('%s: 403 with nothing in the body', async (_n, change) => {
    rig = await startRig();
    const { url } = await installing(rig);
    const r = await fetchRaw(change(url));
    expect(r.status).toBe(403);
    expect(r.text).toBe('forbidden\n');
    expect(rig.eventsOf('audit.denied')).toHaveLength(1);
  });

  it('a requester whose MAC (from the neighbour table) is not the server\'s: 403', async () => {
    let mac: string | undefined = 'aa:bb:cc:dd:ee:ff';
    rig = await startRig({ service: { arp: () => mac } });
    const { url } = await installing(rig);
    expect((await fetchRaw(url)).status).toBe(403);
    expect(rig.eventsOf('audit.denied')[0]?.['reason']).toContain('MAC aa:bb:cc:dd:ee:ff');
    mac = '52:54:00:12:34:56';
    expect((await fetchRaw(url)).status).toBe(200);
  });

  it('an expired token, or a server already installed: 403', async () => {
    let now = new Date();
    rig = await startRig({ service: { now: () => now } });
    const { url } = await installing(rig);
    now = new Date(Date.now() + 3601_000);
    expect((await fetchRaw(url)).status).toBe(403);
    now = new Date();
    expect((await fetchRaw(url)).status).toBe(200);
    await rig.store.mutate<Server>('Server', UUID, undefined, (s) => {
      s.status = { conditions: [{ type: 'PXEBooted', status: 'True', lastTransitionTime: T0 }] };
      return s;
    });
    expect((await fetchRaw(url)).status).toBe(403);
    expect(rig.eventsOf('audit.denied').map((e) => e['reason'])).toEqual([expect.stringContaining('expired'), 'the server is already installed']);
  });

  it.each([
    ['Machine', 'Machine default/lab-workers-0 (owner of MetalMachine lab-workers-0) not found'],
    ['Secret', 'Secret default/lab-workers-0-bootstrap (bootstrap data of Machine lab-workers-0) not found'],
    ['MetalMachine', 'MetalMachine default/lab-workers-0 (of ServerBinding'],
  ])('a missing %s: 404 to the machine, the event log names it', async (kind, detail) => {
    rig = await startRig();
    const { url } = await installing(rig, { skip: [kind] });
    const r = await fetchRaw(url);
    expect(r.status).toBe(404);
    expect(r.text).toBe('not found\n');
    expect(rig.eventsOf('boot.config').at(-1)).toMatchObject({ outcome: 'missing', detail: expect.stringContaining(detail) });
  });

  it('a patch that does not apply: 500, and the body reveals nothing of the config', async () => {
    rig = await startRig();
    const { url } = await installing(rig);
    await rig.store.mutate<Server>('Server', UUID, undefined, (s) => {
      s.spec!.configPatches = [{ op: 'replace', path: '/machine/nothing/here', value: 1 }];
      return s;
    });
    const r = await fetchRaw(url);
    expect(r.status).toBe(500);
    expect(r.text).not.toContain('abcdef');
    expect(rig.eventsOf('boot.config').at(-1)).toMatchObject({ outcome: 'error' });
  });
});
