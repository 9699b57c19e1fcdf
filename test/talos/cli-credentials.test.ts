import { Command } from 'commander';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import type { Resource } from '../../src/api/index.js';
import { registerClusters } from '../../src/cli/clusters.js';
import { defaultSettings } from '../../src/config/index.js';
import { bundleSecretName, secretWith } from '../../src/controllers/index.js';
import { EventBus } from '../../src/events/index.js';
import { openState } from '../../src/state.js';
import { generateSecretsBundle, stringifySecretsBundle, type SecretsBundle } from '../../src/talos/index.js';

const pem = (b64: string): string => Buffer.from(b64, 'base64').toString('utf8');

async function metalbox(...args: string[]): Promise<void> {
  const program = new Command('metalbox').option('--data-dir <dir>').exitOverride();
  registerClusters(program);
  await program.parseAsync(args, { from: 'user' });
}

/** `metalbox talosconfig CLUSTER` and `metalbox kubeconfig CLUSTER` against a data directory, no instance running. */
describe('credentials of a cluster in the store, from the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), `talos-cli-cred-${process.pid}-`));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  let bundle: SecretsBundle;

  beforeAll(async () => {
    bundle = await generateSecretsBundle({ versionContract: 'v1.13' });
    const st = await openState({ dataDir: dir, settings: defaultSettings(), events: new EventBus() });
    const cluster = (name: string): Resource =>
      ({ apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', metadata: { name, namespace: 'default' }, spec: { controlPlaneEndpoint: { host: '10.5.0.10', port: 6443 } } }) as Resource;
    await st.store.create(cluster('rack'));
    await st.store.create(cluster('empty'));
    await st.store.create(secretWith(bundleSecretName('rack'), 'default', { bundle: stringifySecretsBundle(bundle, 'v2') }));
    await st.close();
  }, 60_000);
  afterAll(() => {
    stderr.mockRestore();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a talosconfig whose admin certificate the cluster\'s Talos API CA signed', async () => {
    const file = join(dir, 'talosconfig');
    await metalbox('talosconfig', 'rack', '--data-dir', dir, '-o', file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const tc = parse(readFileSync(file, 'utf8'));
    expect(tc.context).toBe('rack');
    const ctx = tc.contexts.rack;
    expect(ctx).toMatchObject({ endpoints: ['10.5.0.10'], nodes: ['10.5.0.10'], ca: bundle.certs.os.crt });
    const admin = new X509Certificate(pem(ctx.crt));
    expect(admin.subject).toBe('O=os:admin');
    expect(admin.verify(new X509Certificate(pem(bundle.certs.os.crt)).publicKey)).toBe(true);
    expect(admin.verify(new X509Certificate(pem(bundle.certs.k8s.crt)).publicKey)).toBe(false);
  });

  it('writes a kubeconfig for the control plane endpoint with a system:masters certificate from the Kubernetes CA', async () => {
    const file = join(dir, 'kubeconfig');
    await metalbox('kubeconfig', 'rack', '--data-dir', dir, '-o', file);
    const kc = parse(readFileSync(file, 'utf8'));
    expect(kc.clusters[0].cluster).toMatchObject({ server: 'https://10.5.0.10:6443', 'certificate-authority-data': bundle.certs.k8s.crt });
    const user = new X509Certificate(pem(kc.users[0].user['client-certificate-data']));
    expect(user.subject).toContain('O=system:masters');
    expect(user.verify(new X509Certificate(pem(bundle.certs.k8s.crt)).publicKey)).toBe(true);
  });

  it('says when a cluster has no secrets yet, and names a cluster that does not exist', async () => {
    await expect(metalbox('kubeconfig', 'empty', '--data-dir', dir)).rejects.toThrow(/has no secrets yet/);
    await expect(metalbox('talosconfig', 'nope', '--data-dir', dir)).rejects.toThrow(/cluster "nope" not found/);
  });
});
