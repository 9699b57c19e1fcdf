/**
 * A kind's schema as JSON Schema (draft 2020-12 subset: types, enums, ranges, required, defaults,
 * additionalProperties false), for tools and editors. String formats are Metalbox checks written as code
 * and are left out, so the JSON Schema accepts a little more than validateResource does.
 */
import type { Node } from './dsl.js';

export type JsonSchema = Record<string, unknown>;

export function toJsonSchema(node: Node): JsonSchema {
  const out = shape(node);
  if (node.default !== undefined) out['default'] = node.default;
  return out;
}

function shape(node: Node): JsonSchema {
  switch (node.t) {
    case 'string':
      return node.enum ? { type: 'string', enum: [...node.enum] } : { type: 'string' };
    case 'int':
      return { type: 'integer', ...(node.min !== undefined ? { minimum: node.min } : {}), ...(node.max !== undefined ? { maximum: node.max } : {}) };
    case 'bool':
      return { type: 'boolean' };
    case 'intOrString':
      return { type: ['integer', 'string'] };
    case 'any':
      return {};
    case 'unsupported':
      return { not: {}, description: `not supported by Metalbox: ${node.why}` };
    case 'list':
      return { type: 'array', items: toJsonSchema(node.items) };
    case 'map':
      return { type: 'object', additionalProperties: toJsonSchema(node.values) };
    case 'object': {
      const required = Object.entries(node.fields).filter(([, f]) => f.required).map(([k]) => k);
      const properties = Object.fromEntries(Object.entries(node.fields).map(([k, f]) => [k, toJsonSchema(f)]));
      return { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false };
    }
  }
}
