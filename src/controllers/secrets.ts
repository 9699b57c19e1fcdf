import { CLUSTER_NAME_LABEL, type Cluster, type Secret } from '../api/index.js';
import type { SecretsBundle } from '../talos/index.js';
import type { Store } from '../store/index.js';
import { ownerRef } from './util.js';

/** CABPT's name for a cluster's secrets bundle Secret (key `bundle`). */
export const bundleSecretName = (cluster: string) => `${cluster}-talos`;

export function secretValue(s: Secret | undefined, key: string): string | undefined {
  const v = s?.data?.[key];
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
}

export function secretWith(name: string, namespace: string, values: Record<string, string>, extra: Partial<Secret['metadata']> = {}, type = 'Opaque'): Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace, ...extra },
    type,
    data: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  };
}

/** The cluster's secrets bundle, generated once (as CABPT does) and kept in `<cluster>-talos` in CABPT's layout. */
export async function clusterSecrets(store: Store, cluster: Cluster, talosVersion: string | undefined): Promise<SecretsBundle> {
  const { generateSecretsBundle, parseSecretsBundle, stringifySecretsBundle } = await import('../talos/index.js');
  const ns = cluster.metadata.namespace ?? 'default';
  const name = bundleSecretName(cluster.metadata.name);
  const existing = secretValue(store.get<Secret>('Secret', name, ns), 'bundle');
  if (existing) return parseSecretsBundle(existing);
  const bundle = await generateSecretsBundle({ versionContract: talosVersion || undefined });
  const again = secretValue(store.get<Secret>('Secret', name, ns), 'bundle');
  if (again) return parseSecretsBundle(again); // created meanwhile
  await store.create(
    secretWith(name, ns, { bundle: stringifySecretsBundle(bundle, 'v2') }, { labels: { [CLUSTER_NAME_LABEL]: cluster.metadata.name }, ownerReferences: [ownerRef(cluster, false)] }),
  );
  return bundle;
}
