/**
 * The secrets bundle of a cluster, generated as Talos's secrets.NewBundle does for a version contract.
 * Certificates and keys are kept as base64 of their PEM text, the form both `talosctl gen secrets`
 * files and machine configs use.
 */
import { randomBytes } from 'node:crypto';
import { gates, parseContract, type VersionContract } from '../contract.js';
import { b64 } from './pem.js';
import { newCA, newECDSAKey, newRSAKey, type PemPair } from './pki.js';

/** base64 of the certificate PEM and of the key PEM. */
export interface CertAndKey {
  crt: string;
  key: string;
}

export interface SecretsBundle {
  cluster: { id: string; secret: string };
  secrets: { bootstrapToken: string; aescbcEncryptionSecret?: string; secretboxEncryptionSecret?: string };
  trustdInfo: { token: string };
  certs: {
    etcd: CertAndKey;
    k8s: CertAndKey;
    k8sAggregator: CertAndKey;
    k8sServiceAccount: { key: string };
    os: CertAndKey;
  };
}

const TOKEN_CHARS = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Talos's genToken: lowercase alphanumerics by rejection sampling, `xxxxxx.xxxxxxxxxxxxxxxx`. */
export function generateToken(lenFirst = 6, lenSecond = 16): string {
  const pick = (n: number): string => {
    let out = '';
    while (out.length < n) {
      for (const b of randomBytes(n * 2)) {
        if (b >= 252) continue; // 252 = 7 * 36: keeps the choice uniform
        out += TOKEN_CHARS[b % 36];
        if (out.length === n) break;
      }
    }
    return out;
  };
  return `${pick(lenFirst)}.${pick(lenSecond)}`;
}

export const TOKEN_PATTERN = /^[0-9a-z]{6}\.[0-9a-z]{16}$/;

function pair(p: PemPair): CertAndKey {
  return { crt: b64(p.crt), key: b64(p.key) };
}

let spareRsaKey: Promise<string> | undefined;

/**
 * Starts making the slow part of a bundle (the RSA-4096 service-account key) in the background, so that
 * the next generateSecretsBundle() returns quickly. Call it when the operator starts creating a cluster.
 */
export function prepareSecretsBundle(): void {
  if (spareRsaKey) return;
  const p = newRSAKey();
  p.catch(() => {
    if (spareRsaKey === p) spareRsaKey = undefined;
  });
  spareRsaKey = p;
}

function takeRsaKey(): Promise<string> {
  const p = spareRsaKey ?? newRSAKey();
  spareRsaKey = undefined;
  return p;
}

export interface GenerateSecretsOptions {
  versionContract?: VersionContract | string;
  /** All certificates share this NotBefore, as Talos's fixed clock does. */
  now?: Date;
}

export async function generateSecretsBundle(opts: GenerateSecretsOptions = {}): Promise<SecretsBundle> {
  const contract = parseContract(opts.versionContract);
  const now = opts.now ?? new Date();
  const saKey = gates.useRSAServiceAccountKey(contract) ? takeRsaKey() : newECDSAKey();
  const [etcd, k8s, aggregator, os, sa] = await Promise.all([
    newCA({ organization: 'etcd', algorithm: 'ecdsa', now }),
    newCA({ organization: 'kubernetes', algorithm: 'ecdsa', now }),
    newCA({ algorithm: 'ecdsa', now }),
    newCA({ organization: 'talos', algorithm: 'ed25519', now }),
    saKey,
  ]);
  const clusterId = randomBytes(32).toString('base64');
  const encryption = randomBytes(32).toString('base64');
  return {
    cluster: {
      id: gates.clusterIDStdEncoding(contract) ? clusterId : clusterId.replace(/\+/g, '-').replace(/\//g, '_'),
      secret: randomBytes(32).toString('base64'),
    },
    secrets: {
      bootstrapToken: generateToken(),
      ...(gates.secretboxEncryptionSupported(contract)
        ? { secretboxEncryptionSecret: encryption }
        : { aescbcEncryptionSecret: encryption }),
    },
    trustdInfo: { token: generateToken() },
    certs: {
      etcd: pair(etcd),
      k8s: pair(k8s),
      k8sAggregator: pair(aggregator),
      k8sServiceAccount: { key: b64(sa) },
      os: pair(os),
    },
  };
}
