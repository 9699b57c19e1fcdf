/**
 * An object as an operator edits it in $EDITOR (the console's `e`, `metalbox edit`): redacted, without
 * status and the store-kept fields except resourceVersion; and the stored secrets put back where the
 * redaction marker was left as it was.
 */
import { isMap, parseDocument } from 'yaml';
import { APPLIED_FIELDS } from './annotations.js';
import type { Resource } from './meta.js';
import { REDACTED, redact } from './redact.js';
import { resourceToYaml } from './serialize.js';

/** The object as the operator edits it: redacted, without status and store-kept fields except resourceVersion. */
export function editableYaml(r: Resource): string {
  const copy = structuredClone(redact(r)) as Resource;
  delete copy.status;
  const m = copy.metadata as unknown as Record<string, unknown>;
  for (const k of ['uid', 'generation', 'creationTimestamp', 'managedFields']) delete m[k];
  // What the last apply set is bookkeeping for the next apply, not the operator's to edit (replace keeps it).
  const ann = copy.metadata.annotations;
  if (ann?.[APPLIED_FIELDS]) {
    delete ann[APPLIED_FIELDS];
    if (Object.keys(ann).length === 0) delete copy.metadata.annotations;
  }
  return resourceToYaml(copy);
}

/** Put stored secrets back where the operator left the redaction marker. */
export function unredact(text: string, stored: Resource | undefined): string {
  if (!stored || !text.includes(REDACTED)) return text;
  const doc = parseDocument(text);
  if (doc.errors.length || !isMap(doc.contents)) return text;
  const walk = (v: unknown, path: (string | number)[]): void => {
    if (v === REDACTED) {
      const orig = path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string | number, unknown>)[k] : undefined), stored);
      if (typeof orig === 'string') doc.setIn(path, orig);
      return;
    }
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(doc.toJS(), []);
  return doc.toString({ lineWidth: 0 });
}
