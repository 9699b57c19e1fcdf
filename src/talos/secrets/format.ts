/**
 * The `talosctl gen secrets` file format (secrets.yaml; also what CABPT stores in the `<cluster>-talos`
 * Secret under `bundle`): Go field names lower-cased, certificates and keys as base64 of PEM.
 */
import { MetalboxError } from '../../util/errors.js';
import { emitYaml, type YNode, type YamlFlavor } from '../yaml/emitter.js';
import { isYamlObject, parseYamlDocument, type YamlObject, type YamlValue } from '../yaml/parse.js';
import { TOKEN_PATTERN, type CertAndKey, type SecretsBundle } from './bundle.js';
import { pemDecode, unb64 } from './pem.js';

function fail(message: string): never {
  throw new MetalboxError('TALOS_SECRETS_INVALID', `secrets bundle: ${message}`, {
    hint: 'use a file written by `talosctl gen secrets` or `metalbox gen secrets`',
  });
}

function section(v: YamlValue | undefined, name: string): YamlObject {
  if (!isYamlObject(v)) fail(`missing section "${name}"`);
  return v;
}

function text(obj: YamlObject, key: string, where: string, required = true): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null || v === '') {
    if (required) fail(`missing ${where}.${key}`);
    return undefined;
  }
  if (typeof v !== 'string') fail(`${where}.${key} must be a string`);
  return v;
}

function pem(value: string, where: string, labels: string[]): string {
  const block = pemDecode(unb64(value, where), where);
  if (!labels.includes(block.label)) fail(`${where} is a ${block.label}, expected ${labels.join(' or ')}`);
  return value;
}

const KEY_LABELS = ['ED25519 PRIVATE KEY', 'EC PRIVATE KEY', 'RSA PRIVATE KEY', 'PRIVATE KEY'];

function certAndKey(certs: YamlObject, name: string): CertAndKey {
  const s = section(certs[name], `certs.${name}`);
  const where = `certs.${name}`;
  return {
    crt: pem(text(s, 'crt', where)!, `${where}.crt`, ['CERTIFICATE']),
    key: pem(text(s, 'key', where)!, `${where}.key`, KEY_LABELS),
  };
}

function token(obj: YamlObject, key: string, where: string): string {
  const t = text(obj, key, where)!;
  if (!TOKEN_PATTERN.test(t)) fail(`${where}.${key} "${t}" is not a token like abcdef.0123456789abcdef`);
  return t;
}

/** Reads a bundle; unknown keys are ignored as Talos does, missing or malformed values are errors. */
export function parseSecretsBundle(yamlText: string): SecretsBundle {
  const root = parseYamlDocument(yamlText, 'secrets bundle');
  if (!isYamlObject(root)) fail('the file must be a YAML mapping');
  const cluster = section(root.cluster, 'cluster');
  const secrets = section(root.secrets, 'secrets');
  const trustd = section(root.trustdinfo, 'trustdinfo');
  const certs = section(root.certs, 'certs');
  const aescbc = text(secrets, 'aescbcencryptionsecret', 'secrets', false);
  const secretbox = text(secrets, 'secretboxencryptionsecret', 'secrets', false);
  if ((aescbc === undefined) === (secretbox === undefined)) {
    fail('exactly one of secrets.secretboxencryptionsecret and secrets.aescbcencryptionsecret must be set');
  }
  const sa = section(certs.k8sserviceaccount, 'certs.k8sserviceaccount');
  return {
    cluster: { id: text(cluster, 'id', 'cluster')!, secret: text(cluster, 'secret', 'cluster')! },
    secrets: {
      bootstrapToken: token(secrets, 'bootstraptoken', 'secrets'),
      ...(aescbc !== undefined ? { aescbcEncryptionSecret: aescbc } : {}),
      ...(secretbox !== undefined ? { secretboxEncryptionSecret: secretbox } : {}),
    },
    trustdInfo: { token: token(trustd, 'token', 'trustdinfo') },
    certs: {
      etcd: certAndKey(certs, 'etcd'),
      k8s: certAndKey(certs, 'k8s'),
      k8sAggregator: certAndKey(certs, 'k8saggregator'),
      k8sServiceAccount: { key: pem(text(sa, 'key', 'certs.k8sserviceaccount')!, 'certs.k8sserviceaccount.key', KEY_LABELS) },
      os: certAndKey(certs, 'os'),
    },
  };
}

const s = (value: string): YNode => ({ kind: 'str', value });
const map = (entries: Array<[string, YNode] | false>): YNode => ({
  kind: 'map',
  entries: entries.filter((e): e is [string, YNode] => e !== false),
});
const ck = (c: CertAndKey): YNode => map([['crt', s(c.crt)], ['key', s(c.key)]]);

/** Writes a bundle as `talosctl gen secrets` does (go-yaml, 4-space indent); `v2` gives CABPT's 2-space form. */
export function stringifySecretsBundle(b: SecretsBundle, flavor: YamlFlavor = 'v3'): string {
  const aescbc = b.secrets.aescbcEncryptionSecret;
  const secretbox = b.secrets.secretboxEncryptionSecret;
  const root = map([
    ['cluster', map([['id', s(b.cluster.id)], ['secret', s(b.cluster.secret)]])],
    [
      'secrets',
      map([
        ['bootstraptoken', s(b.secrets.bootstrapToken)],
        !!aescbc && ['aescbcencryptionsecret', s(aescbc)],
        !!secretbox && ['secretboxencryptionsecret', s(secretbox)],
      ]),
    ],
    ['trustdinfo', map([['token', s(b.trustdInfo.token)]])],
    [
      'certs',
      map([
        ['etcd', ck(b.certs.etcd)],
        ['k8s', ck(b.certs.k8s)],
        ['k8saggregator', ck(b.certs.k8sAggregator)],
        ['k8sserviceaccount', map([['key', s(b.certs.k8sServiceAccount.key)]])],
        ['os', ck(b.certs.os)],
      ]),
    ],
  ]);
  return emitYaml(root, flavor);
}
