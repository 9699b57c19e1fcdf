/**
 * Text in terminal columns: display width (wide characters count 2), padding and truncation that keep
 * columns aligned with CJK names, and making untrusted text (server names, labels, log lines) safe to draw.
 */
import { escapeTags, strWidth } from './vendor.js';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f-\x9f]/g;

/** Display width in columns. */
export function width(text: string): number {
  return PRINTABLE_ASCII.test(text) ? text.length : strWidth(text);
}

/** Control characters (escape sequences from a hostile hostname) become `?`. */
export function sanitize(text: string): string {
  return text.replace(CONTROL, '?');
}

/** Untrusted text, ready for tagged content. */
export function safe(text: string): string {
  return escapeTags(sanitize(text));
}

/** Cut to at most `cols` columns, ending with `…` when something was cut. */
export function truncate(text: string, cols: number): string {
  if (cols <= 0) return '';
  if (width(text) <= cols) return text;
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = width(ch);
    if (used + w > cols - 1) break;
    out += ch;
    used += w;
  }
  return `${out}…`;
}

/** Exactly `cols` columns: truncated, then padded on the right (or the left for `right`). */
export function fit(text: string, cols: number, align: 'left' | 'right' = 'left'): string {
  const t = truncate(text, cols);
  const pad = ' '.repeat(Math.max(0, cols - width(t)));
  return align === 'right' ? pad + t : t + pad;
}

/** Wrap plain text to `cols` columns, breaking at spaces where possible. */
export function wrap(text: string, cols: number): string[] {
  if (cols <= 1) return [text];
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/(\s+)/)) {
      if (width(line + word) <= cols) {
        line += word;
        continue;
      }
      if (line.trim()) out.push(line.trimEnd());
      line = word.trimStart();
      while (width(line) > cols) {
        const head = truncateHard(line, cols);
        out.push(head);
        line = line.slice(head.length);
      }
    }
    out.push(line.trimEnd());
  }
  return out;
}

function truncateHard(text: string, cols: number): string {
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = width(ch);
    if (used + w > cols) break;
    out += ch;
    used += w;
  }
  return out || text.slice(0, 1);
}

/** `1.2k`, `3.4M`: a count in at most 4 characters. */
export function shortCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 10_000) return `${(n / 1000).toFixed(1)}k`;
  if (n < 1_000_000) return `${Math.round(n / 1000)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

/** `42s`, `5m`, `3h`, `2d`, as kubectl prints ages. */
export function age(fromIso: string | undefined, now: number): string {
  if (!fromIso) return '';
  const t = Date.parse(fromIso);
  if (Number.isNaN(t)) return '';
  const s = Math.max(0, Math.floor((now - t) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

/** `1.5 GiB` from bytes. */
export function bytes(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 10 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

/** Local wall-clock time `HH:MM:SS` of an ISO time. */
export function clock(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '--:--:--';
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}
