import type { LabelSelector, LabelSelectorRequirement } from './meta.js';

/**
 * Label selectors: metav1.LabelSelector matching, and kubectl's `-l` syntax
 * (`a=b,c!=d,e in (x,y),f notin (z),g,!h`).
 */

export function matchesSelector(labels: Record<string, string> | undefined, sel: LabelSelector | undefined): boolean {
  if (!sel) return true;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const req of sel.matchExpressions ?? []) if (!matchesRequirement(l, req)) return false;
  return true;
}

function matchesRequirement(l: Record<string, string>, req: LabelSelectorRequirement): boolean {
  const has = Object.prototype.hasOwnProperty.call(l, req.key);
  switch (req.operator) {
    case 'In':
      return has && (req.values ?? []).includes(l[req.key]!);
    case 'NotIn':
      return !has || !(req.values ?? []).includes(l[req.key]!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}

export class SelectorSyntaxError extends Error {}

/** Parse kubectl's selector syntax into a LabelSelector. Throws SelectorSyntaxError with the offending part. */
export function parseSelector(text: string): LabelSelector {
  const sel: Required<LabelSelector> = { matchLabels: {}, matchExpressions: [] };
  for (const part of splitTop(text)) {
    const p = part.trim();
    if (!p) continue;
    let m: RegExpExecArray | null;
    if ((m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/i.exec(p))) {
      const values = m[3]!.split(',').map((s) => s.trim()).filter(Boolean);
      sel.matchExpressions.push({ key: m[1]!, operator: m[2]!.toLowerCase() === 'in' ? 'In' : 'NotIn', values });
    } else if ((m = /^([\w./-]+)\s*!=\s*([\w.-]*)$/.exec(p))) {
      sel.matchExpressions.push({ key: m[1]!, operator: 'NotIn', values: [m[2]!] });
    } else if ((m = /^([\w./-]+)\s*==?\s*([\w.-]*)$/.exec(p))) {
      sel.matchLabels[m[1]!] = m[2]!;
    } else if ((m = /^!\s*([\w./-]+)$/.exec(p))) {
      sel.matchExpressions.push({ key: m[1]!, operator: 'DoesNotExist' });
    } else if ((m = /^([\w./-]+)$/.exec(p))) {
      sel.matchExpressions.push({ key: m[1]!, operator: 'Exists' });
    } else {
      throw new SelectorSyntaxError(`cannot parse label selector part "${p}"; expected k=v, k!=v, k in (a,b), k notin (a), k or !k`);
    }
  }
  return sel;
}

/** Split on commas that are not inside parentheses. */
function splitTop(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}
