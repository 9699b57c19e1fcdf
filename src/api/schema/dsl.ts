/**
 * A small declarative schema language for Kubernetes-shaped objects: enough to say what each field is,
 * whether it is required, its default, and its allowed values; the walker in walk.ts does the checking.
 */

/** A check for string contents: `test` says whether it is fine, `expect` says what is expected. */
export interface Format {
  test: (s: string) => boolean;
  expect: string;
}

interface Base {
  /** Missing (or null) is an error. */
  required?: boolean;
  /** Used when the field is missing or null (nested defaults of the value are applied too). */
  default?: unknown;
  /** Accepted on input but left out of the result (fields the store maintains elsewhere, or obsolete). */
  drop?: boolean;
}

export interface StringNode extends Base {
  t: 'string';
  enum?: readonly string[];
  format?: Format;
}

export interface IntNode extends Base {
  t: 'int';
  min?: number;
  max?: number;
}

export interface BoolNode extends Base {
  t: 'bool';
}

/** Kubernetes intstr.IntOrString. */
export interface IntOrStringNode extends Base {
  t: 'intOrString';
}

export interface ObjectNode extends Base {
  t: 'object';
  fields: Record<string, Node>;
}

/** map[string]X. */
export interface MapNode extends Base {
  t: 'map';
  values: Node;
  keys?: Format;
}

export interface ListNode extends Base {
  t: 'list';
  items: Node;
}

/** Any JSON value (x-kubernetes-preserve-unknown-fields). */
export interface AnyNode extends Base {
  t: 'any';
}

/** A real upstream field that Metalbox does not implement: refused with `why`. */
export interface UnsupportedNode extends Base {
  t: 'unsupported';
  why: string;
}

export type Node =
  | StringNode
  | IntNode
  | BoolNode
  | IntOrStringNode
  | ObjectNode
  | MapNode
  | ListNode
  | AnyNode
  | UnsupportedNode;

type Opts<N> = Omit<N, 't'>;

export const str = (o: Opts<StringNode> = {}): StringNode => ({ t: 'string', ...o });
export const oneOf = (values: readonly string[], o: Opts<StringNode> = {}): StringNode => ({ t: 'string', enum: values, ...o });
export const int = (o: Opts<IntNode> = {}): IntNode => ({ t: 'int', ...o });
export const int32 = (o: Opts<IntNode> = {}): IntNode => int({ min: -(2 ** 31), max: 2 ** 31 - 1, ...o });
export const uint32 = (o: Opts<IntNode> = {}): IntNode => int({ min: 0, max: 2 ** 32 - 1, ...o });
/** int64/uint64 sizes: JSON numbers stay exact up to 2^53. */
export const int64 = (o: Opts<IntNode> = {}): IntNode => int({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER, ...o });
export const bool = (o: Opts<BoolNode> = {}): BoolNode => ({ t: 'bool', ...o });
export const intOrString = (o: Opts<IntOrStringNode> = {}): IntOrStringNode => ({ t: 'intOrString', ...o });
export const obj = (fields: Record<string, Node>, o: Omit<Opts<ObjectNode>, 'fields'> = {}): ObjectNode => ({
  t: 'object',
  fields,
  ...o,
});
export const map = (values: Node, o: Omit<Opts<MapNode>, 'values'> = {}): MapNode => ({ t: 'map', values, ...o });
export const list = (items: Node, o: Omit<Opts<ListNode>, 'items'> = {}): ListNode => ({ t: 'list', items, ...o });
export const any = (o: Opts<AnyNode> = {}): AnyNode => ({ t: 'any', ...o });
export const unsupported = (why: string): UnsupportedNode => ({ t: 'unsupported', why });

/** The same node, required. */
export const req = <N extends Node>(n: N): N => ({ ...n, required: true });
/** The same node, with a default. */
export const dflt = <N extends Node>(n: N, value: unknown): N => ({ ...n, default: value });
