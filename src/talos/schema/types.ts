/**
 * The compact form of Talos's published machine-config JSON schema: the same definitions with the
 * documentation text (descriptions, titles, examples) stripped, so that it can ship as source.
 */

/** A JSON Schema (draft 2020-12) node; only structural keywords are kept. */
export interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  patternProperties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  $ref?: string;
  enum?: unknown[];
  const?: unknown;
  required?: string[];
  pattern?: string;
  format?: string;
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  allOf?: SchemaNode[];
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
}

export interface CompactSchema {
  /** The `$id` of the published schema it was derived from. */
  id: string;
  /** Definitions of the document kinds, in the order of the published `oneOf`. */
  roots: string[];
  defs: Record<string, SchemaNode>;
}
