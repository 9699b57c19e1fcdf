/**
 * A description of Talos's Go config types, enough to decode, merge and encode documents as Talos does:
 * field order (Go declaration order, which Talos's docgen also uses for the schema's properties),
 * omitempty, pointer-ness and merge rules.
 */

export type MergeKey = 'interface' | 'vlanId' | 'name' | 'mountPath';

export type TypeRef =
  | { k: 'string'; duration?: boolean; base64?: boolean }
  | { k: 'int'; filemode?: boolean }
  | { k: 'float' }
  | { k: 'bool' }
  /** Unstructured: any YAML, merged as Go merges map[string]any. */
  | { k: 'any' }
  | { k: 'struct'; name: string }
  | { k: 'list'; of: TypeRef; mergeKey?: MergeKey }
  | { k: 'map'; of: TypeRef }
  /** Talos 1.13 `Args`: each value a string or a list of strings; merged key by key. */
  | { k: 'args' };

export interface FieldSpec {
  key: string;
  type: TypeRef;
  omitempty: boolean;
  /** Go pointer (or nilable) field: a present zero value is kept and emitted. False for value structs and plain bools. */
  pointer: boolean;
  /** `merge:"replace"`: the right-hand value replaces the left-hand one instead of being merged. */
  replace: boolean;
}

export interface StructSpec {
  name: string;
  fields: FieldSpec[];
  byKey: Map<string, FieldSpec>;
}

export interface DocumentKind {
  apiVersion: string;
  kind: string;
  /** The struct describing the document. */
  struct: string;
  /** Whether documents of this kind are identified by a `name` field. */
  named: boolean;
}

export interface TypeModel {
  structs: Map<string, StructSpec>;
  /** Multi-document kinds by `kind`. */
  kinds: Map<string, DocumentKind>;
}

/** The v1alpha1 root struct name. */
export const V1ALPHA1_ROOT = 'v1alpha1.Config';
