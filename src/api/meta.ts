/** Kubernetes object metadata and references, as Sidero and Cluster API use them. */

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  /** Namespaced kinds only; defaults to `default`. */
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Maintained by the store. */
  uid?: string;
  /** Maintained by the store: a decimal string, increasing with every committed change. */
  resourceVersion?: string;
  /** Maintained by the store: bumped when `spec` changes. */
  generation?: number;
  /** Maintained by the store. */
  creationTimestamp?: string;
  /** Set by delete when finalizers hold the object back. */
  deletionTimestamp?: string;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
}

/** corev1.ObjectReference (Sidero uses it for environmentRef, serverRef, serverClassRef …). */
export interface ObjectReference {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

/** Cluster API v1beta1 condition. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  severity?: '' | 'Error' | 'Warning' | 'Info';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

/** metav1.LabelSelector. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** Any resource in the store: the Kubernetes object envelope. */
export interface Resource<Spec = unknown, Status = unknown> {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: Spec;
  status?: Status;
}

/** `kind/namespace/name` (namespace empty for cluster-scoped kinds): the store key. */
export function resourceKey(kind: string, name: string, namespace?: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

export function keyOf(r: Pick<Resource, 'kind' | 'metadata'>): string {
  return resourceKey(r.kind, r.metadata.name, r.metadata.namespace);
}
