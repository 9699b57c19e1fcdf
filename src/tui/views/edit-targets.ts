/**
 * What `e` (any object as YAML) and `P` (a server's or a class's patches) edit: the text shown, how it is
 * checked (resources.validate) and saved (resources.replace, refused on a resourceVersion conflict).
 * Secrets are shown redacted; a redacted value left as it was keeps the stored secret.
 */
import { parseDocument, stringify } from 'yaml';
import { editableYaml, parseManifests, resourceToYaml, unredact, type Resource } from '../../api/index.js';
import { isMetalboxError } from '../../util/errors.js';
import type { ConsoleContext, EditTarget } from './view.js';

interface ValidateResult {
  ok: boolean;
  errors?: { line?: number; column?: number; path?: string; message: string }[];
}

const label = (r: Resource) => `${r.kind} ${r.metadata.namespace ? `${r.metadata.namespace}/` : ''}${r.metadata.name}`;

/** Problems with the text, each with its line where known; [] when it may be saved. */
export async function validateYaml(ctx: ConsoleContext, yaml: string, prefix = ''): Promise<string[]> {
  let r: ValidateResult;
  try {
    r = await ctx.call<ValidateResult>('resources.validate', { yaml });
  } catch (e) {
    if (!isMetalboxError(e, 'OP_UNKNOWN')) return [(e as Error).message];
    // An older instance without resources.validate: the resource model's own checks.
    const p = parseManifests(yaml);
    r = p.ok ? { ok: true } : { ok: false, errors: p.errors };
  }
  if (r.ok) return [];
  return (r.errors ?? []).map((e) => {
    const at = e.line ? `line ${e.line}${e.column ? `:${e.column}` : ''}: ` : '';
    const path = e.path ? `${prefix}${e.path}: ` : '';
    return `${at}${path}${e.message}`;
  });
}

function checkIdentity(yaml: string, r: Resource): string[] {
  const doc = parseDocument(yaml);
  if (doc.errors.length) return [];
  const v = doc.toJS() as Partial<Resource> | null;
  if (!v || typeof v !== 'object') return ['the text is not one object'];
  if (v.kind !== r.kind || v.metadata?.name !== r.metadata.name) return [`kind and name must stay ${r.kind} ${r.metadata.name} (create a new object with apply instead)`];
  return [];
}

export function editResource(ctx: ConsoleContext, r: Resource): EditTarget {
  const current = () => ctx.store.get(r.kind, r.metadata.name, r.metadata.namespace) ?? r;
  return {
    what: label(r),
    initial: () => editableYaml(current()),
    validate: async (text) => {
      const id = checkIdentity(text, r);
      return id.length ? id : validateYaml(ctx, unredact(text, current()));
    },
    save: async (text) => {
      await ctx.call('resources.replace', { yaml: unredact(text, current()) });
      return `saved ${label(r)}`;
    },
  };
}

interface Patches {
  configPatches?: unknown[];
  strategicPatches?: string[];
}

const PATCH_HELP = [
  '# configPatches: RFC 6902 JSON patches (op, path, value), applied first.',
  '# strategicPatches: Talos strategic-merge patches, each one YAML document in a block string (- |).',
  '# Order at boot: the TalosConfig, the bound ServerClass, then the Server.',
].join('\n');

/** Just the patches of a Server or ServerClass, as a small YAML document. */
export function editPatches(ctx: ConsoleContext, r: Resource): EditTarget {
  const current = () => ctx.store.get(r.kind, r.metadata.name, r.metadata.namespace) ?? r;
  let base = current();
  const merged = (text: string): { yaml?: string; problem?: string } => {
    const doc = parseDocument(text);
    if (doc.errors.length) return { problem: doc.errors.map((e) => `line ${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]}`).join('; ') };
    const p = (doc.toJS() ?? {}) as Patches;
    if (typeof p !== 'object' || Array.isArray(p)) return { problem: 'expected configPatches: and strategicPatches: keys' };
    const extra = Object.keys(p).filter((k) => k !== 'configPatches' && k !== 'strategicPatches');
    if (extra.length) return { problem: `unknown key ${extra.join(', ')}: only configPatches and strategicPatches belong here` };
    const next = structuredClone(base) as Resource<Record<string, unknown>>;
    const spec = { ...(next.spec ?? {}) };
    if (p.configPatches?.length) spec['configPatches'] = p.configPatches;
    else delete spec['configPatches'];
    if (p.strategicPatches?.length) spec['strategicPatches'] = p.strategicPatches;
    else delete spec['strategicPatches'];
    next.spec = spec;
    delete next.status;
    return { yaml: resourceToYaml(next) };
  };
  return {
    what: `${label(r)} patches`,
    initial: () => {
      base = current();
      const spec = (base.spec ?? {}) as Patches;
      const body = stringify({ configPatches: spec.configPatches ?? [], strategicPatches: spec.strategicPatches ?? [] }, { lineWidth: 0, blockQuote: 'literal' });
      return `${PATCH_HELP}\n${body}`;
    },
    validate: async (text) => {
      const m = merged(text);
      return m.problem ? [m.problem] : validateYaml(ctx, m.yaml!);
    },
    save: async (text) => {
      try {
        await ctx.call('resources.replace', { yaml: merged(text).yaml });
      } catch (e) {
        // Changed meanwhile: the operator has read why; the next save puts these patches on the new version.
        if (isMetalboxError(e, 'STORE_CONFLICT')) base = current();
        throw e;
      }
      return `saved the patches of ${label(r)}`;
    },
  };
}
