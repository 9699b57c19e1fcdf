/**
 * The documents Talos's generator adds beside v1alpha1 from contract 1.12: registry mirrors and TLS
 * settings as RegistryMirrorConfig / RegistryTLSConfig (sorted by kind, then name), then HostnameConfig.
 */
import { gates } from '../contract.js';
import type { ConfigDocument } from '../documents.js';
import type { YamlObject } from '../yaml/parse.js';
import type { NormalizedInput } from './input.js';

function doc(kind: string, struct: string, value: YamlObject, name?: string): ConfigDocument {
  return { kind, apiVersion: 'v1alpha1', name, struct, value: { apiVersion: 'v1alpha1', kind, ...value } };
}

function registryDocuments(inp: NormalizedInput): ConfigDocument[] {
  const docs: ConfigDocument[] = [];
  for (const [host, endpoints] of Object.entries(inp.registryMirrors)) {
    docs.push(
      doc('RegistryMirrorConfig', 'cri.RegistryMirrorConfigV1Alpha1', { name: host, endpoints: endpoints.map((url) => ({ url })) }, host),
    );
  }
  const tls = new Map<string, YamlObject>();
  const tlsFor = (host: string): YamlObject => {
    let v = tls.get(host);
    if (!v) tls.set(host, (v = { name: host }));
    return v;
  };
  for (const [host, ca] of Object.entries(inp.registryCACerts)) tlsFor(host).ca = Buffer.from(ca).toString('base64');
  for (const host of inp.registryInsecure) tlsFor(host).insecureSkipVerify = true;
  for (const [host, value] of tls) docs.push(doc('RegistryTLSConfig', 'cri.RegistryTLSConfigV1Alpha1', value, host));
  // slices.SortStableFunc by kind, then name (strings.Compare: byte order).
  return docs.sort((a, b) => (a.kind === b.kind ? cmp(a.name ?? '', b.name ?? '') : cmp(a.kind, b.kind)));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Documents that follow the v1alpha1 document for this contract. */
export function extraDocuments(inp: NormalizedInput): ConfigDocument[] {
  if (!gates.multidocNetworkConfigSupported(inp.contract)) return [];
  return [...registryDocuments(inp), doc('HostnameConfig', 'network.HostnameConfigV1Alpha1', { auto: 'stable' })];
}

