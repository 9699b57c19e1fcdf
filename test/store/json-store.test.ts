import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type OpenedStore, type WatchEvent } from '../../src/store/index.js';
import { isNamespaced, server, tempDir } from './helpers.js';

let t: ReturnType<typeof tempDir>;
let opened: OpenedStore;

beforeEach(async () => {
  t = tempDir();
  opened = await openStore({ dataDir: t.dir, isNamespaced });
});
afterEach(async () => {
  await opened.close();
  t.cleanup();
});

const onDisk = () => JSON.parse(readFileSync(join(t.dir, 'state.json'), 'utf8')) as { objects: { metadata: { name: string; resourceVersion: string } }[] };

describe('JsonStore', () => {
  it('creates with store-maintained metadata and persists durably', async () => {
    const s = opened.store;
    const created = await s.create(server('a'));
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata.generation).toBe(1);
    expect(created.metadata.creationTimestamp).toMatch(/^\d{4}-/);
    expect(created.metadata.resourceVersion).toBe('1');
    expect(onDisk().objects.map((o) => o.metadata.name)).toEqual(['a']);
    expect(statSync(join(t.dir, 'state.json')).mode & 0o777).toBe(0o600);
    expect(statSync(t.dir).mode & 0o777).toBe(0o700);
    await expect(s.create(server('a'))).rejects.toMatchObject({ code: 'STORE_EXISTS' });
  });

  it('refuses a stale resourceVersion as a conflict and bumps generation only on spec change', async () => {
    const s = opened.store;
    const v1 = await s.create(server('a'));
    const v2 = await s.update({ ...structuredClone(v1), spec: { accepted: true } });
    expect(v2.metadata.generation).toBe(2);
    const v3 = await s.update({ ...structuredClone(v2), status: { power: 'on' } });
    expect(v3.metadata.generation).toBe(2);
    expect(Number(v3.metadata.resourceVersion)).toBeGreaterThan(Number(v2.metadata.resourceVersion));
    await expect(s.update({ ...structuredClone(v1), spec: { accepted: false } })).rejects.toMatchObject({ code: 'STORE_CONFLICT' });
    expect(s.get('Server', 'a')?.spec).toEqual({ accepted: true });
    expect(v3.metadata.uid).toBe(v1.metadata.uid);
  });

  it('mutate applies a change to the current object and skips no-op writes', async () => {
    const s = opened.store;
    await s.create(server('a'));
    const after = await s.mutate('Server', 'a', undefined, (o) => {
      (o.spec as { accepted: boolean }).accepted = true;
    });
    expect((after.spec as { accepted: boolean }).accepted).toBe(true);
    const same = await s.mutate('Server', 'a', undefined, () => undefined);
    expect(same.metadata.resourceVersion).toBe(after.metadata.resourceVersion);
  });

  it('hands out frozen objects', async () => {
    const s = opened.store;
    await s.create(server('a'));
    const got = s.get('Server', 'a')!;
    expect(() => {
      (got.metadata as { name: string }).name = 'b';
    }).toThrow();
  });

  it('honours finalizers on delete', async () => {
    const s = opened.store;
    await s.create({ ...server('a'), metadata: { name: 'a', finalizers: ['storage.finalizers.server.k8s.io'] } });
    await s.delete('Server', 'a');
    const held = s.get('Server', 'a');
    expect(held?.metadata.deletionTimestamp).toBeTruthy();
    const cleared = structuredClone(held!);
    cleared.metadata.finalizers = [];
    await s.update(cleared);
    expect(s.get('Server', 'a')).toBeUndefined();
    expect(onDisk().objects).toHaveLength(0);
  });

  it('delivers watch events in commit order after they are durable', async () => {
    const s = opened.store;
    const seen: string[] = [];
    const durableAtEvent: number[] = [];
    s.watch((e: WatchEvent) => {
      seen.push(`${e.type}:${e.object.metadata.name}:${e.object.metadata.resourceVersion}`);
      durableAtEvent.push(onDisk().objects.length);
    });
    const a = s.create(server('a'));
    const b = s.create(server('b'));
    await Promise.all([a, b]);
    await s.mutate('Server', 'a', undefined, (o) => void (o.metadata.labels = { x: 'y' }));
    await s.delete('Server', 'b');
    expect(seen).toEqual(['ADDED:a:1', 'ADDED:b:2', 'MODIFIED:a:3', 'DELETED:b:4']);
    expect(durableAtEvent.slice(0, 2)).toEqual([2, 2]);
  });

  it('filters by kind in watch and by namespace and selector in list', async () => {
    const s = opened.store;
    const kinds: string[] = [];
    s.watch((e) => kinds.push(e.object.kind), { kinds: ['Cluster'] });
    await s.create(server('a', { rack: 'r1', role: 'worker' }));
    await s.create(server('b', { rack: 'r2' }));
    await s.create({ apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', metadata: { name: 'c', namespace: 'prod' }, spec: {} });
    await s.create({ apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', metadata: { name: 'c' }, spec: {} });
    expect(kinds).toEqual(['Cluster', 'Cluster']);
    expect(s.list('Cluster').map((c) => c.metadata.namespace).sort()).toEqual(['default', 'prod']);
    expect(s.list('Cluster', { namespace: 'prod' })).toHaveLength(1);
    expect(s.get('Cluster', 'c')?.metadata.namespace).toBe('default');
    const names = (sel: Parameters<typeof s.list>[1]) => s.list('Server', sel).map((o) => o.metadata.name);
    expect(names({ labelSelector: { matchLabels: { rack: 'r1' } } })).toEqual(['a']);
    expect(names({ labelSelector: { matchExpressions: [{ key: 'rack', operator: 'In', values: ['r1', 'r2'] }] } })).toEqual(['a', 'b']);
    expect(names({ labelSelector: { matchExpressions: [{ key: 'role', operator: 'DoesNotExist' }] } })).toEqual(['b']);
    expect(names({ labelSelector: { matchExpressions: [{ key: 'rack', operator: 'NotIn', values: ['r1'] }] } })).toEqual(['b']);
  });

  it('coalesces a burst of changes and resolves each caller once durable', async () => {
    const s = opened.store;
    await Promise.all(Array.from({ length: 300 }, (_, i) => s.create(server(`s${i}`))));
    const updates = s.list('Server').map((o) => s.mutate('Server', o.metadata.name, undefined, (x) => void ((x.spec as { accepted: boolean }).accepted = true)));
    const results = await Promise.all(updates);
    expect(results).toHaveLength(300);
    const disk = onDisk();
    expect(disk.objects).toHaveLength(300);
    expect(disk.objects.every((o) => Number(o.metadata.resourceVersion) > 300)).toBe(true);
  });

  it('reopens with the same objects and continues resourceVersion', async () => {
    const s = opened.store;
    await s.create(server('a'));
    await s.create(server('b'));
    await opened.close();
    opened = await openStore({ dataDir: t.dir, isNamespaced });
    expect(opened.store.list('Server').map((o) => o.metadata.name).sort()).toEqual(['a', 'b']);
    const c = await opened.store.create(server('c'));
    expect(c.metadata.resourceVersion).toBe('3');
  });

  it('refuses objects the validator rejects, and stores what it normalises', async () => {
    await opened.close();
    opened = await openStore({
      dataDir: t.dir,
      isNamespaced,
      validate: (o) => {
        if ((o.spec as { bad?: boolean })?.bad) throw new Error('spec.bad: not allowed');
        return { ...o, metadata: { ...o.metadata, labels: { ...o.metadata.labels, checked: 'yes' } } };
      },
    });
    await expect(opened.store.create(server('x', {}, { bad: true }))).rejects.toThrow('spec.bad');
    const ok = await opened.store.create(server('y'));
    expect(ok.metadata.labels).toEqual({ checked: 'yes' });
  });
});
