/**
 * validateMachineConfig: checks every document of a machine configuration against the Talos schema of
 * its version contract (see versions.ts) and reports issues with the path, e.g.
 * `machine.install.disk: must be string`.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { MetalboxError } from '../../util/errors.js';
import { contractString, parseContract, type VersionContract } from '../contract.js';
import { describeDocument, documentHead } from '../documents.js';
import { isYamlObject, parseYamlDocuments, type YamlValue } from '../yaml/parse.js';
import { schemaFor, type VersionSchema } from './versions.js';

export interface ValidationIssue {
  /** Which document: `v1alpha1 document`, `HostnameConfig document`, ... */
  document: string;
  /** Dotted path inside the document, with list positions as `[i]`; empty for the whole document. */
  path: string;
  message: string;
}

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext resolution.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => void;

interface Compiled {
  version: VersionSchema;
  ajv: Ajv2020;
  validators: Map<string, ValidateFunction>;
}

const compiled = new Map<string, Compiled>();

function compiledFor(c: VersionContract): Compiled {
  const key = contractString(c);
  let hit = compiled.get(key);
  if (!hit) {
    const version = schemaFor(c);
    const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: true });
    addFormats(ajv);
    ajv.addSchema({ $id: version.schema.id, $defs: version.schema.defs });
    hit = { version, ajv, validators: new Map() };
    compiled.set(key, hit);
  }
  return hit;
}

function validatorFor(c: Compiled, def: string): ValidateFunction {
  let v = c.validators.get(def);
  if (!v) {
    v = c.ajv.getSchema(`${c.version.schema.id}#/$defs/${def}`);
    if (!v) throw new Error(`schema has no definition ${def}`);
    c.validators.set(def, v);
  }
  return v;
}

function pointerToPath(pointer: string): string {
  if (!pointer) return '';
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, t) => (/^\d+$/.test(t) ? `${acc}[${t}]` : acc ? `${acc}.${t}` : t), '');
}

function describe(e: ErrorObject): { path: string; message: string } {
  const path = pointerToPath(e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return { path: path ? `${path}.${String(p.additionalProperty)}` : String(p.additionalProperty), message: 'unknown field' };
    case 'enum':
      return { path, message: `must be one of: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'required':
      return { path, message: `missing required field "${String(p.missingProperty)}"` };
    default:
      return { path, message: e.message ?? e.keyword };
  }
}

/** Issues of one parsed document. */
export function validateDocument(value: YamlValue, contract: VersionContract, where = ''): ValidationIssue[] {
  const c = compiledFor(contract);
  if (!isYamlObject(value)) return [{ document: where || 'document', path: '', message: 'a document must be a mapping' }];
  let head;
  try {
    head = documentHead(value, where || 'document');
  } catch (e) {
    return [{ document: where || 'document', path: '', message: (e as Error).message }];
  }
  const document = describeDocument(head);
  const def = c.version.kinds.get(head.kind);
  if (!def) {
    return [{ document, path: 'kind', message: `Talos ${contractString(contract)} has no document kind ${head.kind}` }];
  }
  const validate = validatorFor(c, def);
  if (validate(value)) return [];
  const seen = new Set<string>();
  const issues: ValidationIssue[] = [];
  for (const e of validate.errors ?? []) {
    if (e.keyword === 'oneOf' || e.keyword === 'if') continue;
    const d = describe(e);
    const id = `${d.path}\0${d.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    issues.push({ document, ...d });
  }
  return issues;
}

/** Checks a machine configuration (all its documents) against the schema of the version contract. */
export function validateMachineConfig(yaml: string, versionContract?: VersionContract | string): ValidationIssue[] {
  const contract = parseContract(versionContract);
  let docs;
  try {
    docs = parseYamlDocuments(yaml, 'machine config');
  } catch (e) {
    if (e instanceof MetalboxError) return [{ document: 'machine config', path: '', message: e.message }];
    throw e;
  }
  if (docs.length === 0) return [{ document: 'machine config', path: '', message: 'the config is empty' }];
  return docs.flatMap((d, i) => validateDocument(d.value, contract, `document ${i + 1}`));
}

/** One line per issue, for terminals and error messages. */
export function formatIssues(issues: ValidationIssue[]): string {
  return issues.map((i) => `${i.document}: ${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n');
}
