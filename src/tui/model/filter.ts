/**
 * The `/` filter, as k9s reads it: text (a case-insensitive regular expression, or plain text when it is
 * not one), `!text` to invert, `-l key=value,key2!=v` to match labels (kubectl selector syntax; the rest
 * of the line after -l).
 */
import { matchesSelector, parseSelector, SelectorSyntaxError, type LabelSelector } from '../../api/index.js';

export interface Filter {
  /** What the operator typed, shown in the frame title. */
  source: string;
  invert: boolean;
  text?: RegExp;
  labels?: LabelSelector;
}

export type FilterParse = { ok: true; filter: Filter | undefined } | { ok: false; error: string };

export function parseFilter(input: string): FilterParse {
  const source = input.trim();
  if (!source) return { ok: true, filter: undefined };
  let rest = source;
  let invert = false;
  if (rest.startsWith('!')) {
    invert = true;
    rest = rest.slice(1).trim();
  }
  let labels: LabelSelector | undefined;
  const m = /(?:^|\s)-l\s+(.+)$/.exec(rest);
  if (m) {
    try {
      labels = parseSelector(m[1]!.trim());
    } catch (e) {
      if (e instanceof SelectorSyntaxError) return { ok: false, error: `label filter: ${e.message}` };
      throw e;
    }
    rest = (rest.slice(0, m.index) + rest.slice(m.index + m[0].length)).trim();
  }
  let text: RegExp | undefined;
  if (rest) {
    try {
      text = new RegExp(rest, 'i');
    } catch {
      text = new RegExp(rest.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
    }
  }
  return { ok: true, filter: { source, invert, ...(text ? { text } : {}), ...(labels ? { labels } : {}) } };
}

/** Whether a row passes: text over its joined cells, labels over its labels; `!` inverts the whole. */
export function passes(f: Filter | undefined, haystack: string, labels: Record<string, string> | undefined): boolean {
  if (!f) return true;
  let hit = true;
  if (f.text && !f.text.test(haystack)) hit = false;
  if (hit && f.labels && !matchesSelector(labels, f.labels)) hit = false;
  return f.invert ? !hit : hit;
}
