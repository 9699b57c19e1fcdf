/**
 * Resources out: YAML and JSON for `get -o yaml|json`, and the export form that `kubectl apply` accepts on a
 * Sidero management cluster (status and everything the store or controllers maintain stripped).
 */
import { Document } from 'yaml';
import { kindInfo } from './kinds.js';
import type { ObjectMeta, Resource } from './meta.js';
import { redact, type RedactOptions } from './redact.js';

/** Metadata the store or the controllers maintain; meaningless (or harmful) on another cluster. */
const MAINTAINED: readonly (keyof ObjectMeta | 'managedFields' | 'selfLink')[] = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'managedFields',
  'selfLink',
  // Owner references name uids that do not exist elsewhere: Kubernetes' garbage collector would delete the
  // object at once. Finalizers are added back by the controllers that own them.
  'ownerReferences',
  'finalizers',
];

/**
 * The export form of a resource: no status, no store-maintained metadata, no namespace on cluster-scoped
 * kinds. Redacts unless `showSecrets` is set (an export meant for re-import needs it).
 */
export function toExportForm<R extends Resource>(r: R, opts: RedactOptions = {}): R {
  const out = structuredClone(redact(r, opts));
  delete out.status;
  const meta = out.metadata as unknown as Record<string, unknown>;
  for (const k of MAINTAINED) delete meta[k];
  if (kindInfo(out.kind)?.namespaced === false) delete out.metadata.namespace;
  return out;
}

/** One YAML document, Kubernetes style: block style, no line folding, no anchors. */
export function resourceToYaml(r: Resource): string {
  return new Document(r, { aliasDuplicateObjects: false }).toString({ lineWidth: 0, minContentWidth: 0 });
}

/** A multi-document YAML stream (documents separated by `---`). */
export function resourcesToYaml(rs: readonly Resource[]): string {
  return rs.map(resourceToYaml).join('---\n');
}

/** `get -o json`: one object, or a `v1` List of them as kubectl prints. */
export function resourcesToJson(rs: readonly Resource[], single = rs.length === 1): string {
  const value = single && rs.length === 1 ? rs[0] : { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: rs };
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** The whole `metalbox export` stream. */
export function exportYaml(rs: readonly Resource[], opts: RedactOptions = {}): string {
  return resourcesToYaml(rs.map((r) => toExportForm(r, opts)));
}
