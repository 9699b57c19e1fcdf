import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { Machine, Resource, Secret, TalosConfig } from '../../src/api/index.js';
import { buildApp, type App } from '../../src/app.js';
import { defaultSettings } from '../../src/config/index.js';
import { bootstrapSecretName } from '../../src/controllers/index.js';
import { ownerRef } from '../../src/controllers/util.js';

let app: App;
const dir = mkdtempSync(join(tmpdir(), `mbx-bootstrap-${process.pid}-`));
const CLUSTER = 'boot';

beforeAll(async () => {
  app = await buildApp({ dataDir: dir, settings: defaultSettings() });
  await app.controllers.start();
  const meta = (name: string) => ({ name, namespace: 'default', labels: { 'cluster.x-k8s.io/cluster-name': CLUSTER } });
  await app.store.create({
    apiVersion: 'cluster.x-k8s.io/v1beta1',
    kind: 'Cluster',
    metadata: meta(CLUSTER),
    spec: { controlPlaneEndpoint: { host: '10.5.0.10', port: 6443 } },
  } as Resource);
}, 60_000);

afterAll(async () => {
  await app.controllers.stop();
  await app.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A Machine of the cluster with its own TalosConfig, as a control plane or deployment would make them. */
async function machineWith(name: string, spec: TalosConfig['spec']): Promise<void> {
  const machine = (await app.store.create({
    apiVersion: 'cluster.x-k8s.io/v1beta1',
    kind: 'Machine',
    metadata: { name, namespace: 'default', labels: { 'cluster.x-k8s.io/cluster-name': CLUSTER } },
    spec: {
      clusterName: CLUSTER,
      version: 'v1.30.3',
      // No MetalMachine behind it: rendering the config needs only the Machine and its Cluster.
      infrastructureRef: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1alpha3', kind: 'MetalMachine', name, namespace: 'default' },
      bootstrap: { configRef: { apiVersion: 'bootstrap.cluster.x-k8s.io/v1alpha3', kind: 'TalosConfig', name, namespace: 'default' } },
    },
  } as Resource)) as Machine;
  await app.store.create({
    apiVersion: 'bootstrap.cluster.x-k8s.io/v1alpha3',
    kind: 'TalosConfig',
    metadata: { name, namespace: 'default', labels: { 'cluster.x-k8s.io/cluster-name': CLUSTER }, ownerReferences: [ownerRef(machine)] },
    spec,
  } as Resource);
}

async function until<T>(fn: () => T | undefined, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const configOf = (name: string) =>
  until(() => {
    const s = app.store.get<Secret>('Secret', bootstrapSecretName(name), 'default');
    const v = s?.data?.['value'];
    return v === undefined ? undefined : parseAllDocuments(Buffer.from(v, 'base64').toString('utf8')).map((d) => d.toJS() as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any -- YAML documents of several shapes
  });

describe('TalosConfig rendering (bootstrap controller)', () => {
  it('names the machine with a HostnameConfig document from Talos 1.12, with machine.network.hostname before', async () => {
    await machineWith('cp-new', { generateType: 'controlplane', talosVersion: 'v1.13', hostname: { source: 'MachineName' } });
    await machineWith('cp-old', { generateType: 'controlplane', talosVersion: 'v1.11', hostname: { source: 'MachineName' } });
    const fresh = await configOf('cp-new');
    expect(fresh[0]!.machine.network?.hostname).toBeUndefined();
    expect(fresh.filter((d) => d.kind === 'HostnameConfig')).toEqual([{ apiVersion: 'v1alpha1', kind: 'HostnameConfig', auto: 'off', hostname: 'cp-new' }]);
    const old = await configOf('cp-old');
    expect(old).toHaveLength(1);
    expect(old[0]!.machine.network.hostname).toBe('cp-old');
  });

  it('refuses a config the schema of its version refuses, naming the field, and stores no bootstrap data', async () => {
    await machineWith('bad', {
      generateType: 'worker',
      talosVersion: 'v1.13',
      strategicPatches: ['apiVersion: v1alpha1\nkind: HostnameConfig\nauto: sometimes\n'],
    });
    const status = await until(() => {
      const st = app.store.get<TalosConfig>('TalosConfig', 'bad', 'default')?.status;
      return st?.failureReason ? st : undefined;
    });
    expect(status.failureReason).toBe('RenderFailed');
    expect(status.ready).toBeFalsy();
    expect(status.failureMessage).toMatch(/not valid for Talos v1\.13/);
    expect(status.failureMessage).toMatch(/HostnameConfig.*auto/);
    expect(app.store.get<Secret>('Secret', bootstrapSecretName('bad'), 'default')).toBeUndefined();
  });
});
