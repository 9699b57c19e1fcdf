/**
 * Per-row work done once per row version, not per frame: sort keys in natural order, display widths, the
 * text the filter reads.
 */
import { width } from '../text.js';
import type { Row } from './table.js';

export interface Prepared {
  keys: (number | string)[];
  widths: number[];
  haystack: string;
}

export function compareKeys(x: number | string, y: number | string): number {
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  const a = String(x);
  const b = String(y);
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A string sort key in natural order (node-2 before node-10): lowercased, digit runs zero-padded. Hex
 * identifiers such as UUIDs keep their digits as they are: their digit runs are not numbers.
 */
export function naturalKey(text: string): string {
  const t = text.toLowerCase();
  if (HEX_ID.test(t)) return t;
  return t.replace(/\d+/g, (d) => d.padStart(12, '0'));
}

export function prepare(row: Row): Prepared {
  return {
    keys: row.cells.map((c) => (typeof c.sort === 'number' ? c.sort : naturalKey(String(c.sort ?? c.text)))),
    widths: row.cells.map((c) => (c.live ? 0 : width(c.text))),
    haystack: row.cells.map((c) => c.text).join(' '),
  };
}

const HEX_ID = /^[0-9a-f]{8}-?[0-9a-f]{4}/i;
