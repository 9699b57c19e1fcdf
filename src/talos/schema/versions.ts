/**
 * The schema a config of a given version contract is checked against. Talos publishes schemas for some
 * versions only (1.10 and 1.13 ship here); other contracts use the nearest one with the document kinds of
 * that version. Then the schema is made to accept what Talos's own decoder accepts and its generator
 * writes although the published schema leaves it out: `persist`, machine types `init` and `join`,
 * deprecated (`docgen:nodoc`) fields, and `acceptedCAs` as the list it really is.
 */
import { greater, type VersionContract } from '../contract.js';
import { EXTRA_FIELDS } from '../model/overlay.js';
import type { TypeRef } from '../model/types.js';
import type { CompactSchema, SchemaNode } from './types.js';
import { schemaV1_10 } from './v1_10.js';
import { schemaV1_13 } from './v1_13.js';

/** Document kinds Talos accepts, by the minor version that introduced them. */
const KINDS_SINCE: Record<number, string[]> = {
  7: ['ExtensionServiceConfig', 'NetworkDefaultActionConfig', 'KubeSpanEndpoints', 'NetworkRuleConfig', 'EventSinkConfig', 'KmsgLogConfig', 'WatchdogTimerConfig', 'TrustedRootsConfig', 'SideroLinkConfig'],
  8: ['VolumeConfig'],
  10: ['UserVolumeConfig', 'PCIDriverRebindConfig', 'EthernetConfig'],
  11: ['ExistingVolumeConfig', 'RawVolumeConfig', 'SwapVolumeConfig', 'ZswapConfig'],
  12: ['RegistryAuthConfig', 'RegistryMirrorConfig', 'RegistryTLSConfig', 'BondConfig', 'BridgeConfig', 'DHCPv4Config', 'DHCPv6Config', 'DummyLinkConfig', 'HCloudVIPConfig', 'HostnameConfig', 'Layer2VIPConfig', 'LinkConfig', 'LinkAliasConfig', 'ResolverConfig', 'StaticHostConfig', 'TimeSyncConfig', 'VLANConfig', 'WireguardConfig', 'OOMConfig'],
  13: ['ExternalVolumeConfig', 'BlackholeRouteConfig', 'KubeSpanConfig', 'RoutingRuleConfig', 'TCPProbeConfig', 'VRFConfig', 'EnvironmentConfig'],
};

export function kindsFor(c: VersionContract): Set<string> {
  const out = new Set<string>();
  for (const [minor, kinds] of Object.entries(KINDS_SINCE)) {
    if (c.major > 1 || c.minor >= Number(minor)) kinds.forEach((k) => out.add(k));
  }
  return out;
}

export interface VersionSchema {
  /** Which published schema the checks are based on. */
  basis: string;
  schema: CompactSchema;
  /** Definition name per document kind; `v1alpha1` is the legacy document. */
  kinds: Map<string, string>;
}

function copy<T>(v: T): T {
  return structuredClone(v);
}

function schemaOfType(t: TypeRef): SchemaNode {
  switch (t.k) {
    case 'string':
      return { type: 'string' };
    case 'int':
      return { type: 'integer' };
    case 'float':
      return { type: 'number' };
    case 'bool':
      return { type: 'boolean' };
    case 'list':
      return { type: 'array', items: schemaOfType(t.of) };
    case 'map':
    case 'args':
    case 'struct':
      return { type: 'object' };
    case 'any':
      return {};
  }
}

/** Replaces `string or list of strings` (1.13 Args) with plain strings for older contracts. */
function stringArgsOnly(node: unknown): void {
  if (typeof node !== 'object' || node === null) return;
  const n = node as Record<string, unknown>;
  for (const [k, v] of Object.entries(n)) {
    const s = v as SchemaNode | undefined;
    if (s && typeof s === 'object' && Array.isArray(s.oneOf) && s.oneOf.some((o) => o.type === 'array') && s.oneOf.some((o) => o.type === 'string')) {
      n[k] = { type: 'string' };
    } else stringArgsOnly(v);
  }
}

function addMissing(defs: Record<string, SchemaNode>, older: Record<string, SchemaNode>, name: string, seen: Set<string>): void {
  if (seen.has(name)) return;
  seen.add(name);
  const def = defs[name];
  const old = older[name];
  if (!old) return;
  if (!def) defs[name] = copy(old);
  const target = defs[name]!;
  for (const [key, prop] of Object.entries(old.properties ?? {})) {
    target.properties ??= {};
    if (!(key in target.properties)) target.properties[key] = copy(prop);
  }
  for (const ref of JSON.stringify(old).match(/#\/\$defs\/[A-Za-z0-9_.]+/g) ?? []) addMissing(defs, older, ref.slice(8), seen);
}

function talosCompat(defs: Record<string, SchemaNode>, older: Record<string, SchemaNode> | undefined): void {
  if (older) {
    const seen = new Set<string>();
    for (const name of Object.keys(older)) if (name.startsWith('v1alpha1.')) addMissing(defs, older, name, seen);
  }
  for (const [name, extras] of Object.entries(EXTRA_FIELDS)) {
    const def = defs[name];
    if (!def?.properties) continue;
    for (const f of extras) def.properties[f.key] ??= schemaOfType(f.type);
  }
  const machine = defs['v1alpha1.MachineConfig']!.properties!;
  machine.type = { enum: ['init', 'controlplane', 'worker', 'join'] };
  const pemCert: SchemaNode = { type: 'object', additionalProperties: false, properties: { crt: { type: 'string' } } };
  machine.acceptedCAs = { type: 'array', items: pemCert };
  defs['v1alpha1.ClusterConfig']!.properties!.acceptedCAs = { type: 'array', items: copy(pemCert) };
}

const cache = new Map<string, VersionSchema>();

export function schemaFor(c: VersionContract): VersionSchema {
  const key = `${c.major}.${c.minor}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const base = greater(c, 11) ? schemaV1_13 : schemaV1_10;
  const defs = copy(base.defs);
  const kinds = new Map<string, string>([['v1alpha1', 'v1alpha1.Config']]);
  const allowed = kindsFor(c);
  for (const schema of [base, schemaV1_13]) {
    for (const root of schema.roots) {
      const kind = schema.defs[root]?.properties?.kind?.enum?.[0];
      if (typeof kind !== 'string' || !allowed.has(kind) || kinds.has(kind)) continue;
      if (!defs[root]) addMissing(defs, schema.defs, root, new Set());
      kinds.set(kind, root);
    }
  }
  talosCompat(defs, base === schemaV1_13 ? schemaV1_10.defs : undefined);
  if (!greater(c, 12)) stringArgsOnly(defs);
  const out: VersionSchema = {
    basis: base.id,
    schema: { id: `metalbox:talos-${key}`, roots: [...kinds.values()], defs },
    kinds,
  };
  cache.set(key, out);
  return out;
}
