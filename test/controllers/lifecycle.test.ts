import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Cluster, Machine, MetalMachine, Resource, Secret, Server, ServerBinding } from '../../src/api/index.js';
import { buildApp, type App } from '../../src/app.js';
import { summarise } from '../../src/tui/render/clusters.js';
import { defaultSettings } from '../../src/config/index.js';
import { runOp } from '../../src/ops/index.js';

let app: App;
const dir = mkdtempSync(join(tmpdir(), 'mbx-ctrl-'));

const op = <T>(name: string, args: unknown) => runOp(app.ops, name, args) as Promise<T>;
const settle = async () => {
  for (let i = 0; i < 50; i++) {
    await app.controllers.idle();
    await app.store.flushed();
    await new Promise((r) => setTimeout(r, 20));
    await app.controllers.idle();
    // Idle twice in a row with nothing written in between: the controllers have converged.
    const rv = app.store.lastResourceVersion;
    await new Promise((r) => setTimeout(r, 30));
    await app.controllers.idle();
    if (app.store.lastResourceVersion === rv) return;
  }
  throw new Error('controllers did not settle');
};

function server(i: number, labels: Record<string, string> = {}): Resource {
  return {
    apiVersion: 'metal.sidero.dev/v1alpha2',
    kind: 'Server',
    metadata: { name: `00000000-0000-0000-0000-00000000000${i}`, labels },
    spec: { accepted: true, hardware: { system: { manufacturer: i < 3 ? 'Dell Inc.' : 'Supermicro' } } },
  };
}

beforeAll(async () => {
  const settings = defaultSettings();
  app = await buildApp({ dataDir: dir, settings });
  // Only the controllers: no network services are needed to follow Cluster API's semantics.
  await app.controllers.start();
  for (let i = 0; i < 6; i++) await app.store.create(server(i));
  await app.store.create({ apiVersion: 'metal.sidero.dev/v1alpha2', kind: 'ServerClass', metadata: { name: 'dell' }, spec: { qualifiers: { hardware: [{ system: { manufacturer: 'Dell Inc.' } }] } } });
  await settle();
}, 60_000);

afterAll(async () => {
  await app.controllers.stop();
  await app.stop();
  rmSync(dir, { recursive: true, force: true });
});

const machines = () => app.store.list<Machine>('Machine');
const bindings = () => app.store.list<ServerBinding>('ServerBinding');

describe('cluster lifecycle through the controllers', () => {
  it('keeps ServerClass status: matching accepted servers available', () => {
    const dell = app.store.get('ServerClass', 'dell')!;
    expect((dell.status as { serversAvailable: string[] }).serversAvailable).toHaveLength(3);
    expect(app.store.get<Server>('Server', server(0).metadata.name)!.status).toMatchObject({ inUse: false, isClean: true, ready: true });
  });

  it('creating a cluster makes machines, claims servers from the classes and renders bootstrap configs', async () => {
    await op('servers.assignCluster', { name: server(5).metadata.name, cluster: 'nope', role: 'worker' }).catch((e: Error) => expect(e.message).toMatch(/not found/));
    await op('clusters.create', { name: 'rack1', endpoint: '10.5.0.10', controlPlanes: { count: 3, serverClass: 'dell' }, workers: { count: 2, serverClass: 'any' } });
    await op('servers.assignCluster', { name: server(5).metadata.name, cluster: 'rack1', role: 'worker' });
    await settle();
    expect(machines()).toHaveLength(5);
    expect(bindings()).toHaveLength(5);
    const cpServers = app.store
      .list<MetalMachine>('MetalMachine')
      .filter((m) => m.metadata.labels?.['cluster.x-k8s.io/control-plane'] !== undefined)
      .map((m) => m.spec!.serverRef!.name);
    expect(cpServers.sort()).toEqual([0, 1, 2].map((i) => server(i).metadata.name));
    // The server reserved for rack1 workers was taken for a worker.
    expect(bindings().map((b) => b.metadata.name)).toContain(server(5).metadata.name);
    for (const m of machines()) {
      expect(m.status?.phase).toBe('Provisioned');
      expect(m.spec?.providerID).toMatch(/^sidero:\/\//);
      const secret = app.store.get<Secret>('Secret', m.spec!.bootstrap.dataSecretName!, 'default')!;
      const config = parse(Buffer.from(secret.data!.value!, 'base64').toString().split('\n---\n')[0]!) as { machine: { type: string; install: { disk: string } }; cluster: { clusterName: string; controlPlane: { endpoint: string } } };
      expect(config.cluster.clusterName).toBe('rack1');
      expect(config.cluster.controlPlane.endpoint).toBe('https://10.5.0.10:6443');
      expect(config.machine.install.disk).toBe('/dev/sda');
      expect(['init', 'controlplane', 'worker']).toContain(config.machine.type);
    }
    expect(machines().filter((m) => m.metadata.labels?.['cluster.x-k8s.io/control-plane'] !== undefined)).toHaveLength(3);
    const types = machines().map((m) => {
      const s = app.store.get<Secret>('Secret', m.spec!.bootstrap.dataSecretName!, 'default')!;
      return (parse(Buffer.from(s.data!.value!, 'base64').toString().split('\n---\n')[0]!) as { machine: { type: string } }).machine.type;
    });
    expect(types.filter((t) => t === 'init')).toHaveLength(1);
    expect(app.store.get<Server>('Server', server(0).metadata.name)!.status).toMatchObject({ inUse: true, isClean: false });
    const kube = await op<string>('clusters.kubeconfig', { name: 'rack1' });
    expect(kube).toContain('server: https://10.5.0.10:6443');
    expect(await op<string>('clusters.talosconfig', { name: 'rack1' })).toMatch(/context: rack1/);
  }, 60_000);

  it('the console counts ready control planes and workers alike: installed (Running), not merely provisioned', () => {
    const cluster = app.store.get<Cluster>('Cluster', 'rack1', 'default')!;
    expect(machines().every((m) => m.status?.phase === 'Provisioned')).toBe(true);
    const row = summarise(app.store, cluster);
    expect(row.cp).toEqual({ want: 3, ready: 0 });
    expect(row.workers).toEqual({ want: 2, ready: 0 });
  });

  it('shows the config a server gets at boot: its bootstrap config with class and server patches applied', async () => {
    const name = server(0).metadata.name;
    await app.store.mutate<Server>('Server', name, undefined, (s) => {
      s.spec = { ...s.spec!, strategicPatches: ['machine:\n  install:\n    disk: /dev/nvme0n1\n'] };
    });
    const r = await op<{ yaml: string; patches: string[]; errors: string[] }>('servers.renderConfig', { name });
    expect(r.errors).toEqual([]);
    expect(r.patches).toContain('Server: 0 JSON, 1 strategic');
    expect(r.yaml).toMatch(/type: (init|controlplane)/);
    expect(r.yaml).toContain('disk: /dev/nvme0n1');
    // A patch that cannot apply: the reason, and the config as it was.
    await app.store.mutate<Server>('Server', name, undefined, (s) => {
      s.spec = { ...s.spec!, strategicPatches: ['machine: [not, a, map]\n'] };
    });
    const bad = await op<{ yaml: string; errors: string[] }>('servers.renderConfig', { name });
    expect(bad.errors.join()).toMatch(/does not apply/);
    await app.store.mutate<Server>('Server', name, undefined, (s) => void delete s.spec!.strategicPatches);
    await expect(op('servers.renderConfig', { name: server(4).metadata.name })).rejects.toThrow(/not allocated/);
  });

  it('scales workers down and up, releasing servers as dirty', async () => {
    await op('clusters.scale', { name: 'rack1', role: 'worker', replicas: 1 });
    await settle();
    expect(machines()).toHaveLength(4);
    expect(bindings()).toHaveLength(4);
    const released = app.store.list<Server>('Server').filter((s) => !s.status?.inUse && s.status?.isClean === false);
    expect(released).toHaveLength(1);
    await op('clusters.scale', { name: 'rack1', role: 'worker', replicas: 2 });
    await settle();
    expect(machines()).toHaveLength(5);
    await expect(op('clusters.scale', { name: 'rack1', role: 'controlplane', replicas: 0 })).rejects.toThrow(/at least one/);
  }, 60_000);

  it('deleting the cluster removes everything it owns and frees the servers', async () => {
    const r = await op<{ machines: number }>('clusters.delete', { name: 'rack1' });
    expect(r.machines).toBe(5);
    await settle();
    for (const kind of ['Cluster', 'MetalCluster', 'TalosControlPlane', 'MachineDeployment', 'Machine', 'MetalMachine', 'TalosConfig', 'ServerBinding', 'MetalMachineTemplate', 'TalosConfigTemplate']) {
      expect(app.store.list(kind), kind).toHaveLength(0);
    }
    expect(app.store.list('Secret')).toHaveLength(0);
    expect(app.store.list<Server>('Server').every((s) => s.status?.inUse === false)).toBe(true);
  }, 60_000);
});
