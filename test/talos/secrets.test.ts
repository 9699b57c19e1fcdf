import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  generateSecretsBundle,
  parseSecretsBundle,
  stringifySecretsBundle,
  TOKEN_PATTERN,
  type SecretsBundle,
} from '../../src/talos/index.js';
import { missing, skipNote } from '../support/needs.js';
import { GOLDEN, golden } from './shared.js';

const pemOf = (b64: string): string => Buffer.from(b64, 'base64').toString('utf8');
const label = (b64: string): string => /-----BEGIN ([A-Z0-9 ]+)-----/.exec(pemOf(b64))![1]!;

describe('a generated secrets bundle', () => {
  let b: SecretsBundle;
  const now = new Date('2026-03-01T12:00:00.750Z');
  beforeAll(async () => {
    b = await generateSecretsBundle({ versionContract: 'v1.13', now });
  });

  it('has tokens, a URL-safe cluster id and 32-byte secrets', () => {
    expect(b.secrets.bootstrapToken).toMatch(TOKEN_PATTERN);
    expect(b.trustdInfo.token).toMatch(TOKEN_PATTERN);
    expect(b.secrets.bootstrapToken).not.toBe(b.trustdInfo.token);
    expect(b.cluster.id).toMatch(/^[A-Za-z0-9_-]{43}=$/);
    for (const s of [b.cluster.secret, b.secrets.secretboxEncryptionSecret!]) expect(Buffer.from(s, 'base64')).toHaveLength(32);
    expect(b.secrets.aescbcEncryptionSecret).toBeUndefined();
  });

  it('has the CAs Talos makes: subjects, algorithms, usages, constraints, validity', () => {
    const cases = [
      { ca: b.certs.os, subject: 'O=talos', key: 'ed25519', pem: 'ED25519 PRIVATE KEY' },
      { ca: b.certs.k8s, subject: 'O=kubernetes', key: 'ec', pem: 'EC PRIVATE KEY' },
      { ca: b.certs.etcd, subject: 'O=etcd', key: 'ec', pem: 'EC PRIVATE KEY' },
      { ca: b.certs.k8sAggregator, subject: '', key: 'ec', pem: 'EC PRIVATE KEY' },
    ];
    for (const c of cases) {
      const cert = new X509Certificate(pemOf(c.ca.crt));
      expect(cert.subject ?? '').toBe(c.subject);
      expect(cert.issuer ?? '').toBe(c.subject);
      expect(cert.ca).toBe(true);
      expect(cert.publicKey.asymmetricKeyType).toBe(c.key);
      if (c.key === 'ec') expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
      expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
      expect(new Date(cert.validFrom).toISOString()).toBe('2026-03-01T12:00:00.000Z');
      expect(new Date(cert.validTo).getTime() - new Date(cert.validFrom).getTime()).toBe(87_600 * 3_600_000);
      expect(label(c.ca.key)).toBe(c.pem);
      expect(cert.checkPrivateKey(createPrivateKey(c.pem === 'ED25519 PRIVATE KEY' ? pemOf(c.ca.key).replace(/ED25519 PRIVATE/g, 'PRIVATE') : pemOf(c.ca.key)))).toBe(true);
      const parsed = new x509.X509Certificate(pemOf(c.ca.crt));
      const ku = parsed.getExtension(x509.KeyUsagesExtension)!;
      expect(ku.critical).toBe(true);
      expect(ku.usages).toBe(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign);
      const bc = parsed.getExtension(x509.BasicConstraintsExtension)!;
      expect({ ca: bc.ca, critical: bc.critical, pathLength: bc.pathLength }).toEqual({ ca: true, critical: true, pathLength: undefined });
      expect(Buffer.from(parsed.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId, 'hex')).toHaveLength(20);
      expect(parsed.extensions.map((e) => e.type)).toEqual(['2.5.29.15', '2.5.29.37', '2.5.29.19', '2.5.29.14']);
    }
  });

  it('has an RSA-4096 service-account key in PKCS#1', () => {
    expect(label(b.certs.k8sServiceAccount.key)).toBe('RSA PRIVATE KEY');
    expect(createPrivateKey(pemOf(b.certs.k8sServiceAccount.key)).asymmetricKeyDetails?.modulusLength).toBe(4096);
  });

  it('survives its file format unchanged', () => {
    expect(parseSecretsBundle(stringifySecretsBundle(b))).toEqual(b);
    expect(parseSecretsBundle(stringifySecretsBundle(b, 'v2'))).toEqual(b);
  });
});

const why = missing(`file:${GOLDEN}/secrets.yaml`);

describe.skipIf(why)(`the talosctl gen secrets format${skipNote(why)}`, () => {
  it('reads the golden secrets.yaml and writes it back byte for byte', () => {
    const text = golden('secrets.yaml');
    const body = text.split('\n').filter((l) => !l.startsWith('#')).join('\n');
    const bundle = parseSecretsBundle(text);
    expect(bundle.secrets.bootstrapToken).toBe('inn7ol.u4ehnti8qyls9ymo');
    expect(label(bundle.certs.os.key)).toBe('ED25519 PRIVATE KEY');
    expect(stringifySecretsBundle(bundle)).toBe(body);
  });

  it('refuses bundles with missing or malformed parts, saying which', () => {
    const text = golden('secrets.yaml');
    expect(() => parseSecretsBundle(text.replace('token: d8cwfa.eyvpi0xwxyarbfid', 'token: ""'))).toThrow(/missing trustdinfo\.token/);
    expect(() => parseSecretsBundle(text.replace(/trustdinfo:\n.*\n/, ''))).toThrow(/missing section "trustdinfo"/);
    expect(() => parseSecretsBundle(text.replace('inn7ol.u4ehnti8qyls9ymo', 'not-a-token'))).toThrow(/secrets\.bootstraptoken/);
    const swapped = text.replace(/(k8sserviceaccount:\n {8}key: )\S+/, `$1${Buffer.from('-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n').toString('base64')}`);
    expect(() => parseSecretsBundle(swapped)).toThrow(/k8sserviceaccount\.key is a CERTIFICATE/);
    expect(() => parseSecretsBundle(text.replace('secretboxencryptionsecret', 'aescbcencryptionsecret: x\n    secretboxencryptionsecret'))).toThrow(/exactly one/);
    expect(() => parseSecretsBundle('cluster: [')).toThrow(expect.objectContaining({ code: 'TALOS_YAML_INVALID' }));
  });
});
