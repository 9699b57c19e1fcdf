import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { Server } from '../../src/api/index.js';
import { KEY, server, startConsole, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const S1 = '4c4c4544-0042-3510-8050-b4c04f00a001';
const S2 = '4c4c4544-0042-3510-8050-b4c04f00a002';

/** A cluster `lab` with one control plane machine on S1 and one worker still waiting for a server. */
async function lab(app: App): Promise<void> {
  await app.store.create(server(S1, { accepted: true, hostname: 'cp-node' }));
  await app.store.create(server(S2, { hostname: 'spare' }));
  await app.store.create({ apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', metadata: { name: 'lab', namespace: 'default' }, spec: {} } as never);
  const infra = (name: string) => ({ apiVersion: 'infrastructure.cluster.x-k8s.io/v1alpha3', kind: 'MetalMachine', name });
  await app.store.create({ apiVersion: 'infrastructure.cluster.x-k8s.io/v1alpha3', kind: 'MetalMachine', metadata: { name: 'lab-cp-1', namespace: 'default' }, spec: { serverRef: { kind: 'Server', name: S1 } } } as never);
  await app.store.create({ apiVersion: 'infrastructure.cluster.x-k8s.io/v1alpha3', kind: 'MetalMachine', metadata: { name: 'lab-w-1', namespace: 'default' }, spec: {} } as never);
  await app.store.create({
    apiVersion: 'cluster.x-k8s.io/v1beta1',
    kind: 'Machine',
    metadata: { name: 'lab-cp-1', namespace: 'default', labels: { 'cluster.x-k8s.io/cluster-name': 'lab', 'cluster.x-k8s.io/control-plane': '' } },
    spec: { clusterName: 'lab', bootstrap: { dataSecretName: 'lab-cp-1-bootstrap' }, infrastructureRef: infra('lab-cp-1'), version: 'v1.32.0' },
  } as never);
  await app.store.create({
    apiVersion: 'cluster.x-k8s.io/v1beta1',
    kind: 'Machine',
    metadata: { name: 'lab-w-1', namespace: 'default', labels: { 'cluster.x-k8s.io/cluster-name': 'lab' } },
    spec: { clusterName: 'lab', bootstrap: { dataSecretName: 'lab-w-1-bootstrap' }, infrastructureRef: infra('lab-w-1'), version: 'v1.32.0' },
  } as never);
}

describe('machines view', () => {
  it('lists every machine with its cluster, role and server, and opens the server behind one', async () => {
    h = await startConsole({ cols: 140, seed: lab });
    await h.press(':');
    await h.type('machines');
    await h.press(KEY.enter);
    expect(h.text()).toMatch(/machines\[2\]/);
    expect(h.line('lab-cp-1')).toMatch(/lab\s+control plane\s+\S+\s+4c4c4544-0042-3510-8050-b4c04f00a001\s+\S+/);
    expect(h.line('lab-w-1')).toMatch(/lab\s+worker\s+\S+\s+waiting for a server/);
    // The worker has no server yet: enter says so instead of doing nothing.
    await h.press('j', KEY.enter);
    expect(h.text()).toContain('no server claimed yet');
    await h.press('k', KEY.enter);
    expect(h.text()).toMatch(/server 4c4c4544-004… overview/);
    expect(h.text()).toMatch(/Hostname\s+cp-node/);
    await h.press(KEY.esc);
    expect(h.text()).toMatch(/machines\[2\]/);
  });
});

describe('reserving servers for a cluster', () => {
  it('puts the selected server into a cluster as a worker from the servers list', async () => {
    h = await startConsole({ cols: 140, seed: lab });
    await h.press('j'); // S2, sorted after S1
    await h.press('K');
    expect(h.text()).toContain('cluster for server 4c4c4544-004…');
    await h.press(KEY.enter);
    expect(h.text()).toContain('role in lab');
    await h.press('w');
    await h.waitFor(() => h!.app.store.get<Server>('Server', S2)?.metadata.labels?.['metalbox.dev/cluster'] === 'lab');
    expect(h.app.store.get<Server>('Server', S2)?.metadata.labels?.['metalbox.dev/role']).toBe('worker');
    await h.waitFor((t) => t.includes('reserved for lab as worker'));
    expect(h.line('spare')).toMatch(/lab\/w/);
  });
});
