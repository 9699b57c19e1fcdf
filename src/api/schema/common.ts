/** Shared pieces: formats, ObjectMeta, ObjectReference, conditions, label selectors, config patches. */
import { isIP } from 'node:net';
import { parseAllDocuments } from 'yaml';
import { any, bool, int32, int64, list, map, obj, oneOf, req, str, unsupported, type Format } from './dsl.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const GO_DURATION = /^-?((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$|^0$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export const dnsLabel: Format = {
  test: (s) => s.length <= 63 && DNS_LABEL.test(s),
  expect: 'a DNS label: lowercase letters, digits and "-", at most 63 characters, starting and ending alphanumeric',
};

export const dnsSubdomain: Format = {
  test: (s) => s.length <= 253 && DNS_SUBDOMAIN.test(s),
  expect: 'a DNS subdomain: lowercase letters, digits, "-" and ".", at most 253 characters, starting and ending alphanumeric',
};

/** `prefix/name` or `name`, as Kubernetes label and annotation keys. */
export const qualifiedName: Format = {
  test: (s) => {
    const slash = s.lastIndexOf('/');
    const prefix = slash >= 0 ? s.slice(0, slash) : undefined;
    const name = slash >= 0 ? s.slice(slash + 1) : s;
    if (prefix !== undefined && !dnsSubdomain.test(prefix)) return false;
    return name.length > 0 && name.length <= 63 && LABEL_NAME.test(name);
  },
  expect: 'an optional DNS-subdomain prefix and "/", then a name of at most 63 letters, digits, "-", "_" or "."',
};

export const labelValue: Format = {
  test: (s) => s === '' || (s.length <= 63 && LABEL_NAME.test(s)),
  expect: 'at most 63 letters, digits, "-", "_" or ".", starting and ending alphanumeric (or empty)',
};

export const dateTime: Format = { test: (s) => RFC3339.test(s) && !Number.isNaN(Date.parse(s)), expect: 'an RFC 3339 time such as 2024-05-01T12:00:00Z' };
export const duration: Format = { test: (s) => GO_DURATION.test(s), expect: 'a duration such as 90s, 10m or 1h30m' };
export const base64: Format = { test: (s) => BASE64.test(s), expect: 'base64 data (use stringData for plain text)' };
export const sha512Hex: Format = { test: (s) => s === '' || /^[0-9a-fA-F]{128}$/.test(s), expect: '128 hexadecimal digits (a sha512 sum) or empty' };
export const httpUrl: Format = {
  test: (s) => {
    if (s === '') return true;
    try {
      const u = new URL(s);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  },
  expect: 'an http:// or https:// URL',
};
export const cidr: Format = {
  test: (s) => {
    const [ip, bits, extra] = s.split('/');
    if (extra !== undefined || ip === undefined || bits === undefined || !/^\d{1,3}$/.test(bits)) return false;
    const family = isIP(ip);
    return family !== 0 && Number(bits) <= (family === 4 ? 32 : 128);
  },
  expect: 'a CIDR such as 10.244.0.0/16',
};
export const kubernetesVersion: Format = {
  test: (s) => /^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)([-0-9a-zA-Z_.+]*)?$/.test(s),
  expect: 'a Kubernetes version such as v1.33.0',
};

/** metav1.ObjectMeta as a manifest may carry it. Namespace handling depends on the kind (validate.ts). */
export const objectMeta = req(
  obj({
    name: req(str({ format: dnsSubdomain })),
    generateName: unsupported('give every object a name (metadata.name)'),
    namespace: str({ format: dnsLabel }),
    labels: map(str({ format: labelValue }), { keys: qualifiedName }),
    annotations: map(str(), { keys: qualifiedName }),
    uid: str(),
    resourceVersion: str(),
    generation: int64({ min: 0 }),
    creationTimestamp: str({ format: dateTime }),
    deletionTimestamp: str({ format: dateTime }),
    deletionGracePeriodSeconds: int64({ drop: true }),
    ownerReferences: list(
      obj({
        apiVersion: req(str()),
        kind: req(str()),
        name: req(str()),
        uid: req(str()),
        controller: bool(),
        blockOwnerDeletion: bool(),
      }),
    ),
    finalizers: list(str({ format: qualifiedName })),
    // What `kubectl get -o yaml` on a real cluster carries; accepted and left out.
    managedFields: any({ drop: true }),
    selfLink: str({ drop: true }),
  }),
);

/** corev1.ObjectReference. */
export const objectReference = obj({
  apiVersion: str(),
  kind: str(),
  name: str(),
  namespace: str(),
  uid: str(),
  resourceVersion: str(),
  fieldPath: str(),
});

/** Cluster API v1beta1 Condition. */
export const condition = obj({
  type: req(str()),
  status: req(oneOf(['True', 'False', 'Unknown'])),
  severity: oneOf(['', 'Error', 'Warning', 'Info']),
  lastTransitionTime: req(str({ format: dateTime })),
  reason: str(),
  message: str(),
});
export const conditions = list(condition);

/** metav1.LabelSelector. */
export const labelSelector = obj({
  matchLabels: map(str({ format: labelValue }), { keys: qualifiedName }),
  matchExpressions: list(
    obj({
      key: req(str({ format: qualifiedName })),
      operator: req(oneOf(['In', 'NotIn', 'Exists', 'DoesNotExist'])),
      values: list(str()),
    }),
  ),
});

/** Sidero/CABPT ConfigPatches: an RFC 6902 operation (Sidero's webhook allows exactly these ops). */
export const configPatch = obj({
  op: req(oneOf(['add', 'remove', 'replace', 'copy', 'move', 'test'])),
  path: req(str({ format: { test: (s) => s === '' || s.startsWith('/'), expect: 'a JSON pointer starting with "/"' } })),
  value: any(),
});

/** clusterv1.APIEndpoint. */
export const apiEndpoint = obj({
  host: req(str()),
  port: req(int32({ min: 0, max: 65535 })),
});

/** Address lists in statuses (corev1.NodeAddress, clusterv1.MachineAddress). */
export const address = obj({
  type: req(oneOf(['Hostname', 'ExternalIP', 'InternalIP', 'ExternalDNS', 'InternalDNS'])),
  address: req(str()),
});


/** A Talos strategic-merge patch: YAML whose documents are all mappings. */
export const strategicPatch: Format = {
  test: (s) => {
    const docs = parseAllDocuments(s);
    if (!Array.isArray(docs)) return false;
    return docs.every((d) => d.errors.length === 0 && (d.contents === null || d.contents.constructor.name === 'YAMLMap'));
  },
  expect: 'a YAML machine-config fragment (one or more mapping documents)',
};
