/**
 * Certificates and keys made the way siderolabs/crypto (x509 package, used by Talos) makes them:
 * self-signed CAs with only an Organization in the subject, KeyUsage certSign+digitalSignature, EKU
 * serverAuth+clientAuth, CA:TRUE without path length, a random 20-byte SKID and a random 128-bit serial;
 * leaf certificates whose key type follows the CA's.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createPrivateKey, randomBytes, webcrypto, type KeyObject } from 'node:crypto';
import { MetalboxError } from '../../util/errors.js';
import { pemDecode, pemEncode } from './pem.js';
import { generateRsaKeyDer } from './rsa.js';

// @peculiar/x509 takes a WebCrypto implementation; Node's is the standard one.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

export type KeyAlgorithm = 'ed25519' | 'ecdsa';

export interface PemPair {
  crt: string;
  key: string;
}

const OID_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const OID_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const ED25519 = { name: 'Ed25519' } as const;
const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const ECDSA_SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** 10 years, Talos's CAValidityTime (87600h). */
export const CA_VALIDITY_MS = 87_600 * 3_600_000;

/** A positive DER INTEGER below 2^128 as hex, like Go's rand.Int(0, 2^128). */
function serialHex(): string {
  let bytes = randomBytes(16);
  while (bytes.length > 1 && bytes[0] === 0) bytes = bytes.subarray(1);
  const hex = bytes.toString('hex');
  return bytes[0]! >= 0x80 ? `00${hex}` : hex;
}

/** Go writes second precision. */
function seconds(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

async function generateKeys(alg: KeyAlgorithm): Promise<CryptoKeyPair> {
  const params = alg === 'ed25519' ? ED25519 : ECDSA;
  return (await webcrypto.subtle.generateKey(params as unknown as webcrypto.EcKeyGenParams, true, ['sign', 'verify'])) as CryptoKeyPair;
}

/** The private key PEM Talos writes: `ED25519 PRIVATE KEY` (PKCS#8 DER) or `EC PRIVATE KEY` (SEC1). */
async function privateKeyPem(key: CryptoKey, alg: KeyAlgorithm): Promise<string> {
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  if (alg === 'ed25519') return pemEncode('ED25519 PRIVATE KEY', pkcs8);
  const sec1 = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ type: 'sec1', format: 'der' });
  return pemEncode('EC PRIVATE KEY', sec1);
}

function certPem(cert: x509.X509Certificate): string {
  return pemEncode('CERTIFICATE', new Uint8Array(cert.rawData));
}

/** Node's KeyObject for any private key PEM Talos accepts (the ED25519 label is non-standard). */
export function privateKeyObject(pem: string, what: string): KeyObject {
  const block = pemDecode(pem, what);
  try {
    if (block.label === 'ED25519 PRIVATE KEY' || block.label === 'PRIVATE KEY') {
      return createPrivateKey({ key: block.der, format: 'der', type: 'pkcs8' });
    }
    if (block.label === 'EC PRIVATE KEY') return createPrivateKey({ key: block.der, format: 'der', type: 'sec1' });
    if (block.label === 'RSA PRIVATE KEY') return createPrivateKey({ key: block.der, format: 'der', type: 'pkcs1' });
  } catch (e) {
    throw new MetalboxError('TALOS_SECRETS_INVALID', `${what}: cannot read the private key`, { cause: e });
  }
  throw new MetalboxError('TALOS_SECRETS_INVALID', `${what}: unsupported key type ${block.label}`);
}

/** The standard PKCS#8 PEM of a key, for Node TLS (which refuses the ED25519 label). */
export function standardKeyPem(pem: string, what = 'key'): string {
  return privateKeyObject(pem, what).export({ type: 'pkcs8', format: 'pem' }).toString();
}

async function signingKey(pem: string, what: string): Promise<{ key: CryptoKey; alg: KeyAlgorithm }> {
  const obj = privateKeyObject(pem, what);
  const pkcs8 = obj.export({ type: 'pkcs8', format: 'der' });
  if (obj.asymmetricKeyType === 'ed25519') {
    return { key: await webcrypto.subtle.importKey('pkcs8', pkcs8, ED25519, false, ['sign']), alg: 'ed25519' };
  }
  if (obj.asymmetricKeyType === 'ec') {
    return { key: await webcrypto.subtle.importKey('pkcs8', pkcs8, ECDSA, false, ['sign']), alg: 'ecdsa' };
  }
  throw new MetalboxError('TALOS_SECRETS_INVALID', `${what}: CA keys must be Ed25519 or ECDSA P-256`);
}

export interface CAOptions {
  /** Subject organization; none gives the empty subject Talos's aggregator CA has. */
  organization?: string;
  algorithm: KeyAlgorithm;
  now: Date;
}

/** A self-signed CA as x509.NewSelfSignedCertificateAuthority makes it. */
export async function newCA(opts: CAOptions): Promise<PemPair> {
  const keys = await generateKeys(opts.algorithm);
  const notBefore = seconds(opts.now);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialHex(),
    name: opts.organization ? `O=${opts.organization}` : '',
    notBefore,
    notAfter: new Date(notBefore.getTime() + CA_VALIDITY_MS),
    keys,
    signingAlgorithm: opts.algorithm === 'ed25519' ? ED25519 : ECDSA_SIGN,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign, true),
      new x509.ExtendedKeyUsageExtension([OID_SERVER_AUTH, OID_CLIENT_AUTH]),
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.SubjectKeyIdentifierExtension(randomBytes(20).toString('hex')),
    ],
  });
  return { crt: certPem(cert), key: await privateKeyPem(keys.privateKey, opts.algorithm) };
}

/** RSA-4096 in PKCS#1 (`RSA PRIVATE KEY`), Talos's service-account key from contract 1.7 (see rsa.ts). */
export async function newRSAKey(bits = 4096): Promise<string> {
  return pemEncode('RSA PRIVATE KEY', await generateRsaKeyDer(bits));
}

/** An ECDSA P-256 key in SEC1 (`EC PRIVATE KEY`), the service-account key of contracts before 1.7. */
export async function newECDSAKey(): Promise<string> {
  const keys = await generateKeys('ecdsa');
  return privateKeyPem(keys.privateKey, 'ecdsa');
}

export interface LeafOptions {
  organizations: string[];
  commonName?: string;
  notBefore: Date;
  notAfter: Date;
  keyUsage: number;
  serverAuth?: boolean;
  clientAuth?: boolean;
  dnsNames?: string[];
  ipAddresses?: string[];
}

/** A certificate signed by the CA, with a fresh key of the CA's algorithm (x509.NewKeyPair). */
export async function issueLeaf(ca: PemPair, opts: LeafOptions): Promise<PemPair> {
  const { key: caKey, alg } = await signingKey(ca.key, 'CA key');
  const caCert = new x509.X509Certificate(pemDecode(ca.crt, 'CA certificate').der);
  const keys = await generateKeys(alg);
  const skid = caCert.getExtension(x509.SubjectKeyIdentifierExtension);
  const eku = [...(opts.serverAuth ? [OID_SERVER_AUTH] : []), ...(opts.clientAuth ? [OID_CLIENT_AUTH] : [])];
  const sans = [
    ...(opts.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(opts.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const subject = [
    ...opts.organizations.map((o) => `O=${o}`),
    ...(opts.commonName ? [`CN=${opts.commonName}`] : []),
  ].join(', ');
  const extensions: x509.Extension[] = [new x509.KeyUsagesExtension(opts.keyUsage, true)];
  if (eku.length > 0) extensions.push(new x509.ExtendedKeyUsageExtension(eku));
  if (skid) extensions.push(new x509.AuthorityKeyIdentifierExtension(skid.keyId));
  if (sans.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(sans));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialHex(),
    subject,
    issuer: caCert.subjectName,
    notBefore: seconds(opts.notBefore),
    notAfter: seconds(opts.notAfter),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: alg === 'ed25519' ? ED25519 : ECDSA_SIGN,
    extensions,
  });
  return { crt: certPem(cert), key: await privateKeyPem(keys.privateKey, alg) };
}

export const KeyUsage = x509.KeyUsageFlags;
