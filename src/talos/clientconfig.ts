/**
 * Client credentials made offline from a cluster's secrets bundle:
 *
 * - talosconfig for talosctl (pkg/machinery/client/config): an admin certificate `O=os:admin` with an
 *   Ed25519 key, signed by the Talos API CA, valid one year;
 * - kubeconfig for kubectl (Talos's pkg/kubeconfig template): a client certificate `CN=admin,
 *   O=system:masters` signed by the Kubernetes CA, valid one year, server = the control plane endpoint.
 */
import { MetalboxError } from '../util/errors.js';
import type { SecretsBundle } from './secrets/bundle.js';
import { b64, unb64 } from './secrets/pem.js';
import { issueLeaf, KeyUsage, type PemPair } from './secrets/pki.js';
import { emitYaml, type YNode } from './yaml/emitter.js';

/** TalosAPIDefaultCertificateValidityDuration (24*365h) and the default admin kubeconfig lifetime. */
export const CLIENT_CERT_VALIDITY_MS = 8_760 * 3_600_000;
/** Talos back-dates kubeconfig client certificates by this much for clock skew. */
const KUBECONFIG_SKEW_MS = 10_000;

function caPair(crt: string, key: string, what: string): PemPair {
  if (!key) {
    throw new MetalboxError('TALOS_SECRETS_INVALID', `${what} CA has no private key in this bundle`, {
      hint: 'client credentials need the full secrets bundle of the cluster',
    });
  }
  return { crt: unb64(crt, `${what} CA certificate`), key: unb64(key, `${what} CA key`) };
}

export interface TalosconfigInput {
  clusterName: string;
  /** Control plane addresses talosctl connects to (port 50000 is implied). */
  endpoints?: string[];
  /** Default target nodes. */
  nodes?: string[];
  secrets: SecretsBundle;
  /** Talos API roles, the certificate organizations. Default `os:admin`. */
  roles?: string[];
  now?: Date;
}

export interface Credentials {
  text: string;
  /** The client certificate, PEM; its key is inside `text`. */
  certificate: string;
  notAfter: Date;
}

const str = (value: string): YNode => ({ kind: 'str', value });
const strings = (values: string[]): YNode => ({ kind: 'seq', items: values.map(str) });

/** A talosconfig as `talosctl gen config` writes it (one context named after the cluster). */
export async function talosconfig(input: TalosconfigInput): Promise<Credentials> {
  if (!input.clusterName) throw new MetalboxError('TALOS_INPUT_INVALID', 'the cluster name is empty');
  const now = input.now ?? new Date();
  const ca = caPair(input.secrets.certs.os.crt, input.secrets.certs.os.key, 'Talos API');
  const notAfter = new Date(now.getTime() + CLIENT_CERT_VALIDITY_MS);
  const admin = await issueLeaf(ca, {
    organizations: input.roles ?? ['os:admin'],
    notBefore: now,
    notAfter,
    keyUsage: KeyUsage.digitalSignature,
    clientAuth: true,
  });
  const context: Array<[string, YNode]> = [['endpoints', strings(input.endpoints ?? [])]];
  if (input.nodes && input.nodes.length > 0) context.push(['nodes', strings(input.nodes)]);
  context.push(['ca', str(input.secrets.certs.os.crt)], ['crt', str(b64(admin.crt))], ['key', str(b64(admin.key))]);
  const root: YNode = {
    kind: 'map',
    entries: [
      ['context', str(input.clusterName)],
      ['contexts', { kind: 'map', entries: [[input.clusterName, { kind: 'map', entries: context }]] }],
    ],
  };
  return { text: emitYaml(root), certificate: admin.crt, notAfter: new Date(Math.floor(notAfter.getTime() / 1000) * 1000) };
}

export interface KubeconfigInput {
  clusterName: string;
  /** The control plane endpoint, e.g. `https://10.0.0.10:6443`. */
  endpoint: string;
  secrets: SecretsBundle;
  now?: Date;
  /** Certificate lifetime; default one year. */
  lifetimeMs?: number;
}

/** An admin kubeconfig, in the exact text Talos's `talosctl kubeconfig` template produces. */
export async function kubeconfig(input: KubeconfigInput): Promise<Credentials> {
  const now = input.now ?? new Date();
  const ca = caPair(input.secrets.certs.k8s.crt, input.secrets.certs.k8s.key, 'Kubernetes');
  const notAfter = new Date(now.getTime() + (input.lifetimeMs ?? CLIENT_CERT_VALIDITY_MS));
  const client = await issueLeaf(ca, {
    organizations: ['system:masters'],
    commonName: 'admin',
    notBefore: new Date(now.getTime() - KUBECONFIG_SKEW_MS),
    notAfter,
    keyUsage: KeyUsage.digitalSignature | KeyUsage.keyEncipherment,
    clientAuth: true,
  });
  const name = input.clusterName;
  const text = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${name}`,
    '  cluster:',
    `    server: ${input.endpoint}`,
    `    certificate-authority-data: ${input.secrets.certs.k8s.crt}`,
    'users:',
    `- name: admin@${name}`,
    '  user:',
    `    client-certificate-data: ${b64(client.crt)}`,
    `    client-key-data: ${b64(client.key)}`,
    'contexts:',
    '- context:',
    `    cluster: ${name}`,
    '    namespace: default',
    `    user: admin@${name}`,
    `  name: admin@${name}`,
    `current-context: admin@${name}`,
    '',
  ].join('\n');
  return { text, certificate: client.crt, notAfter: new Date(Math.floor(notAfter.getTime() / 1000) * 1000) };
}
