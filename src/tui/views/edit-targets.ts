/**
 * What `e` (any object as YAML) and `P` (a server's or a class's patches) edit: the text shown, how it is
 * checked (resources.validate) and saved (resources.replace, refused on a resourceVersion conflict).
 * Secrets are shown redacted; a redacted value left as it was keeps the stored secret.
 */
import { LineCounter, parseDocument, stringify } from 'yaml';
import { editableYaml, parseManifests, resourceToYaml, unredact, type Resource } from '../../api/index.js';
import { isMetalboxError } from '../../util/errors.js';
import type { ConsoleContext, EditProblem, EditTarget } from './view.js';

interface ValidateResult {
  ok: boolean;
  errors?: { line?: number; column?: number; path?: string; message: string }[];
}

/** What resources.replace answers that the flash line says: the first patch problem, if any. */
interface Saved {
  warnings?: string[];
}
const warned = (s: Saved) => (s.warnings?.length ? `; but ${s.warnings[0]}${s.warnings.length > 1 ? ` (and ${s.warnings.length - 1} more)` : ''}` : '');

const label = (r: Resource) => `${r.kind} ${r.metadata.namespace ? `${r.metadata.namespace}/` : ''}${r.metadata.name}`;

/** Problems with the text, each with its line where known; [] when it may be saved. */
export async function validateYaml(ctx: ConsoleContext, yaml: string): Promise<(EditProblem & { path?: string })[]> {
  let r: ValidateResult;
  try {
    r = await ctx.call<ValidateResult>('resources.validate', { yaml });
  } catch (e) {
    if (!isMetalboxError(e, 'OP_UNKNOWN')) return [{ message: (e as Error).message }];
    // An older instance without resources.validate: the resource model's own checks.
    const p = parseManifests(yaml);
    r = p.ok ? { ok: true } : { ok: false, errors: p.errors };
  }
  if (r.ok) return [];
  return (r.errors ?? []).map((e) => ({
    ...(e.line ? { line: e.line } : {}),
    ...(e.column ? { column: e.column } : {}),
    ...(e.path ? { path: e.path } : {}),
    message: e.path ? `${e.path}: ${e.message}` : e.message,
  }));
}

function checkIdentity(yaml: string, r: Resource): EditProblem[] {
  const doc = parseDocument(yaml);
  if (doc.errors.length) return [];
  const v = doc.toJS() as Partial<Resource> | null;
  if (!v || typeof v !== 'object') return [{ message: 'the text is not one object' }];
  if (v.kind !== r.kind || v.metadata?.name !== r.metadata.name) return [{ message: `kind and name must stay ${r.kind} ${r.metadata.name} (create a new object with apply instead)` }];
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
      const done = await ctx.call<Saved>('resources.replace', { yaml: unredact(text, current()) });
      return `saved ${label(r)}${warned(done)}`;
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
  const merged = (text: string): { yaml?: string; problems?: EditProblem[] } => {
    const doc = parseDocument(text);
    if (doc.errors.length) return { problems: doc.errors.map((e) => ({ ...(e.linePos?.[0] ? { line: e.linePos[0].line, column: e.linePos[0].col } : {}), message: e.message.split('\n')[0]! })) };
    const p = (doc.toJS() ?? {}) as Patches;
    if (typeof p !== 'object' || Array.isArray(p)) return { problems: [{ message: 'expected configPatches: and strategicPatches: keys' }] };
    const extra = Object.keys(p).filter((k) => k !== 'configPatches' && k !== 'strategicPatches');
    if (extra.length) return { problems: [{ message: `unknown key ${extra.join(', ')}: only configPatches and strategicPatches belong here` }] };
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
      if (m.problems) return m.problems;
      // The merged object's problems, pointed at the operator's own lines (`spec.configPatches[0].op`).
      return (await validateYaml(ctx, m.yaml!)).map(({ path, message }) => ({ ...patchPosition(text, path), message: message.replace(/^spec\./, '') }));
    },
    save: async (text) => {
      let done: Saved = {};
      try {
        done = await ctx.call<Saved>('resources.replace', { yaml: merged(text).yaml });
      } catch (e) {
        // Changed meanwhile: the operator has read why; the next save puts these patches on the new version.
        if (isMetalboxError(e, 'STORE_CONFLICT')) base = current();
        throw e;
      }
      return `saved the patches of ${label(r)}${warned(done)}`;
    },
  };
}

/** Where a path of the merged object (`spec.configPatches[0].op`) is in the patches text, or nowhere. */
export function patchPosition(text: string, path: string | undefined): { line?: number; column?: number } {
  const m = /^spec\.((?:configPatches|strategicPatches)\b.*)$/.exec(path ?? '');
  if (!m) return {};
  const keys = [...m[1]!.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((x) => (x[2] !== undefined ? Number(x[2]) : x[1]!));
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  // The deepest part of the path the text has (a missing key points at its parent).
  for (let n = keys.length; n > 0; n--) {
    const node = doc.getIn(keys.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) {
      const at = lines.linePos(node.range[0]);
      return { line: at.line, column: at.col };
    }
  }
  return {};
}
