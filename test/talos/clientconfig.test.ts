import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { kubeconfig, standardKeyPem, talosconfig, type SecretsBundle } from '../../src/talos/index.js';
import { issueLeaf, KeyUsage, type PemPair } from '../../src/talos/secrets/pki.js';
import { missing, skipNote } from '../support/needs.js';
import { GOLDEN, goldenSecrets } from './shared.js';

const why = missing(`file:${GOLDEN}/secrets.yaml`);
const whyOpenssl = why ?? missing('bin:openssl');
const pemOf = (b64: string): string => Buffer.from(b64, 'base64').toString('utf8');
const YEAR_MS = 8_760 * 3_600_000;

interface Client {
  caPem: string;
  ca: PemPair;
  crt: string;
  key: string;
}

async function clients(secrets: SecretsBundle): Promise<{ talos: Client; kube: Client; talosText: string; kubeText: string }> {
  const tc = await talosconfig({ clusterName: 'lab', endpoints: ['10.0.0.10'], nodes: ['10.0.0.11'], secrets });
  const ctx = parseDocument(tc.text).toJS().contexts.lab;
  const kc = await kubeconfig({ clusterName: 'lab', endpoint: 'https://10.0.0.10:6443', secrets });
  const k = parseDocument(kc.text).toJS();
  const user = k.users[0].user;
  return {
    talos: { caPem: pemOf(ctx.ca), ca: { crt: pemOf(secrets.certs.os.crt), key: pemOf(secrets.certs.os.key) }, crt: pemOf(ctx.crt), key: pemOf(ctx.key) },
    kube: {
      caPem: pemOf(k.clusters[0].cluster['certificate-authority-data']),
      ca: { crt: pemOf(secrets.certs.k8s.crt), key: pemOf(secrets.certs.k8s.key) },
      crt: pemOf(user['client-certificate-data']),
      key: pemOf(user['client-key-data']),
    },
    talosText: tc.text,
    kubeText: kc.text,
  };
}

/** Serves TLS with a certificate from `server.ca` and requires a client certificate from that CA. */
async function handshake(server: Client, client: Client): Promise<{ ok: boolean; peerSubject?: string }> {
  const serverCert = await issueLeaf(server.ca, {
    organizations: ['test-server'],
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 3_600_000),
    keyUsage: KeyUsage.digitalSignature,
    serverAuth: true,
    ipAddresses: ['127.0.0.1'],
  });
  const srv = createServer({ cert: serverCert.crt, key: standardKeyPem(serverCert.key), ca: server.caPem, requestCert: true, rejectUnauthorized: true });
  const peer = new Promise<string>((resolve) => srv.on('secureConnection', (s: TLSSocket) => {
    const subject = s.getPeerCertificate().subject;
    resolve(`O=${subject.O}${subject.CN ? `,CN=${subject.CN}` : ''}`);
    s.end('hello');
  }));
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  try {
    const data = await new Promise<string>((resolve, reject) => {
      const sock = connect({ host: '127.0.0.1', port, ca: client.caPem, cert: client.crt, key: standardKeyPem(client.key) });
      let got = '';
      sock.on('data', (d) => (got += d.toString()));
      sock.on('end', () => resolve(got));
      sock.on('error', reject);
      setTimeout(() => reject(new Error('timeout')), 5_000).unref();
    });
    return data === 'hello' ? { ok: true, peerSubject: await peer } : { ok: false };
  } catch {
    return { ok: false };
  } finally {
    srv.close();
  }
}

describe.skipIf(why)(`talosconfig and kubeconfig${skipNote(why)}`, () => {
  let c: Awaited<ReturnType<typeof clients>>;
  beforeAll(async () => {
    c = await clients(goldenSecrets());
  });

  it('writes a talosconfig like talosctl: context, endpoints, nodes, CA, admin certificate', () => {
    const doc = parseDocument(c.talosText).toJS();
    expect(doc.context).toBe('lab');
    expect(Object.keys(doc.contexts.lab)).toEqual(['endpoints', 'nodes', 'ca', 'crt', 'key']);
    expect(doc.contexts.lab.endpoints).toEqual(['10.0.0.10']);
    expect(c.talosText).toMatch(/^context: lab\ncontexts:\n {4}lab:\n {8}endpoints:\n {12}- 10\.0\.0\.10\n/);
    const cert = new X509Certificate(c.talos.crt);
    expect(cert.subject).toBe('O=os:admin');
    expect(cert.issuer).toBe('O=talos');
    expect(cert.publicKey.asymmetricKeyType).toBe('ed25519');
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(new Date(cert.validTo).getTime() - new Date(cert.validFrom).getTime()).toBe(YEAR_MS);
    expect(c.talos.key).toContain('BEGIN ED25519 PRIVATE KEY');
    const parsed = new x509.X509Certificate(c.talos.crt);
    expect(parsed.getExtension(x509.KeyUsagesExtension)).toMatchObject({ critical: true, usages: x509.KeyUsageFlags.digitalSignature });
    expect(parsed.getExtension(x509.BasicConstraintsExtension)).toBeNull();
    const caSkid = new x509.X509Certificate(c.talos.ca.crt).getExtension(x509.SubjectKeyIdentifierExtension)!.keyId;
    expect(parsed.getExtension(x509.AuthorityKeyIdentifierExtension)!.keyId).toBe(caSkid);
  });

  it("writes a kubeconfig in Talos's template with an admin client certificate from the Kubernetes CA", () => {
    const k = parseDocument(c.kubeText).toJS();
    expect(k['current-context']).toBe('admin@lab');
    expect(k.clusters[0]).toMatchObject({ name: 'lab', cluster: { server: 'https://10.0.0.10:6443' } });
    expect(k.contexts[0]).toEqual({ name: 'admin@lab', context: { cluster: 'lab', namespace: 'default', user: 'admin@lab' } });
    expect(c.kube.caPem).toBe(c.kube.ca.crt);
    const cert = new X509Certificate(c.kube.crt);
    expect(cert.subject).toBe('O=system:masters\nCN=admin');
    expect(cert.issuer).toBe('O=kubernetes');
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(c.kube.key).toContain('BEGIN EC PRIVATE KEY');
  });

  it('completes a real mutual-TLS handshake with a server certificate from the same CA', async () => {
    expect(await handshake(c.talos, c.talos)).toEqual({ ok: true, peerSubject: 'O=os:admin' });
    expect(await handshake(c.kube, c.kube)).toEqual({ ok: true, peerSubject: 'O=system:masters,CN=admin' });
  });

  it('is refused by a server of the other CA', async () => {
    expect((await handshake(c.talos, { ...c.kube, caPem: c.talos.caPem })).ok).toBe(false);
  });
});

describe.skipIf(whyOpenssl)(`openssl verify of both chains${skipNote(whyOpenssl)}`, () => {
  const dir = mkdtempSync(join(tmpdir(), `talos-verify-${process.pid}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function verify(ca: string, crt: string): string {
    writeFileSync(join(dir, 'ca.pem'), ca);
    writeFileSync(join(dir, 'crt.pem'), crt);
    try {
      return execFileSync('openssl', ['verify', '-purpose', 'sslclient', '-CAfile', join(dir, 'ca.pem'), join(dir, 'crt.pem')], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      return `failed: ${(e as { stdout?: string }).stdout ?? ''}`;
    }
  }

  it('verifies the talosconfig and kubeconfig client certificates against their CAs, and not across', async () => {
    const c = await clients(goldenSecrets());
    expect(verify(c.talos.caPem, c.talos.crt)).toMatch(/crt\.pem: OK/);
    expect(verify(c.kube.caPem, c.kube.crt)).toMatch(/crt\.pem: OK/);
    expect(verify(c.kube.caPem, c.talos.crt)).toMatch(/^failed/);
  });
});
