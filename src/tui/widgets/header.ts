/**
 * The header (k9s's): on the left the appliance (address, each service and its state, servers by state,
 * network activity); on the right the current view's key hints, from the same table that dispatches keys.
 */
import type { ServiceStatus } from '../../ops/index.js';
import type { Hint } from '../keys.js';
import { sparkline, type ActivityMeter } from '../model/activity.js';
import { STATE_ORDER, STATE_ROLE, type ServerState } from '../render/servers.js';
import { fit, safe, truncate, width } from '../text.js';
import type { Role, Theme } from '../theme.js';

export interface HeaderInput {
  version: string;
  address: string;
  iface: string;
  dhcpMode: string;
  ports: { dhcp: number; tftp: number; http: number };
  services: ServiceStatus[];
  counts: Map<ServerState, number>;
  total: number;
  hints: Hint[];
  activity: ActivityMeter;
}

const STATE_ROLE_OF: Record<ServiceStatus['state'], Role> = { running: 'ok', starting: 'warn', failed: 'err', stopped: 'dim', disabled: 'dim' };

function dot(t: Theme, s: ServiceStatus | undefined): string {
  if (!s) return t.fg('dim', t.glyphs.off);
  const g = s.state === 'running' ? t.glyphs.running : s.state === 'starting' ? t.glyphs.starting : s.state === 'failed' ? t.glyphs.failed : t.glyphs.off;
  return t.fg(STATE_ROLE_OF[s.state], g);
}

/** Talos's event sink and kernel log receiver: just their dots (their ports are in the install arguments). */
function talosSinks(t: Theme, sink: ServiceStatus | undefined, klog: ServiceStatus | undefined): string {
  const one = (label: string, s: ServiceStatus | undefined) => `${t.fg('dim', label)} ${dot(t, s)}${s && s.state !== 'running' ? ` ${t.fg(STATE_ROLE_OF[s.state], s.state)}` : ''}`;
  return klog ? `${one('sink', sink)} ${one('klog', klog)}` : one('sink', sink);
}

/** The short form of what a service says about itself: `proxy on eth1 (10.0.0.0/24; …)` → `proxy on eth1`. */
export function shortDetail(d: string): string {
  return d.replace(/^port /, ':').split(/ \(|, /)[0]!.trim();
}

/** A service: its dot, and what it says about itself (`:8081`, `proxy on eth1`) or its state. */
function service(t: Theme, label: string, s: ServiceStatus | undefined, text: string): string {
  if (!s) return `${t.fg('dim', label)} ${dot(t, s)}`; // not part of this appliance (yet)
  const state = s.state === 'running' ? (s.detail ? shortDetail(s.detail) : text) : s.state;
  return `${t.fg('dim', label)} ${dot(t, s)} ${s.state !== 'running' ? t.fg(STATE_ROLE_OF[s.state], safe(state)) : safe(state)}`;
}

/** "metalbox" in box-drawing letters (figlet's Calvin S), for wide terminals. */
const LOGO = [
  '┌┬┐┌─┐┌┬┐┌─┐┬  ┌┐ ┌─┐─┐ ┬',
  '│││├┤  │ ├─┤│  ├┴┐│ │┌┴┬┘',
  '┴ ┴└─┘ ┴ ┴ ┴┴─┘└─┘└─┘┴ └─',
];
const LOGO_W = Math.max(...LOGO.map((l) => l.length));

export function headerLines(t: Theme, h: HeaderInput, cols: number, rows: number): string[] {
  const leftW = cols >= 120 ? 52 : cols >= 100 ? 46 : Math.min(40, Math.max(30, Math.floor(cols / 2)));
  const logo = cols >= 130 && rows >= LOGO.length + 1;
  const left = infoLines(t, h, leftW);
  const right = hintColumns(t, h.hints, cols - leftW - 2 - (logo ? LOGO_W + 2 : 0), rows);
  const out: string[] = [];
  for (let i = 0; i < rows; i++) {
    const l = left[i] ?? '';
    let line = `${l}${' '.repeat(Math.max(0, leftW - plainWidth(l)))}  ${right[i] ?? ''}`;
    const art = logo ? LOGO[i - 1] : undefined;
    if (art) line += ' '.repeat(Math.max(1, cols - LOGO_W - 1 - plainWidth(line))) + t.fg('accent', safe(art));
    out.push(line);
  }
  return out;
}

function infoLines(t: Theme, h: HeaderInput, w: number): string[] {
  const by = (n: string) => h.services.find((s) => s.name === n);
  const dhcp = by('dhcp') ?? by('dhcp-proxy');
  const failed = h.services.filter((s) => s.state === 'failed' && !['dhcp', 'dhcp-proxy', 'tftp', 'http'].includes(s.name));
  const addr = `${h.address || 'address auto'}${h.iface ? ` (${h.iface})` : ''}`;
  const lines = [
    ` ${t.bold(t.fg('accent', 'Metalbox'))} ${t.fg('dim', safe(h.version))} ${safe(truncate(addr, w - 12 - width(h.version)))}`,
    ` ${fitTagged(service(t, 'DHCP', dhcp, `${h.dhcpMode} :${h.ports.dhcp}`), w - 1)}`,
    ` ${fitTagged([service(t, 'TFTP', by('tftp'), `:${h.ports.tftp}`), service(t, 'HTTP', by('http'), `:${h.ports.http}`), talosSinks(t, by('events-sink'), by('kernel-log'))].join('  '), w - 1)}`,
    ` ${counts(t, h, w - 1)}`,
  ];
  if (failed.length) lines.push(` ${t.fg('err', safe(truncate(`${failed.map((s) => s.name).join(', ')} failed: ${failed[0]!.detail ?? ''}`, w - 1)))}`);
  else lines.push(` ${sparks(t, h.activity, w - 1)}`);
  return lines;
}

function counts(t: Theme, h: HeaderInput, w: number): string {
  const parts = [`${t.fg('dim', 'Servers')} ${t.bold(String(h.total))}`];
  let used = 8 + String(h.total).length;
  for (const s of STATE_ORDER) {
    const n = h.counts.get(s);
    if (!n) continue;
    const text = `${n} ${s}`;
    if (used + text.length + 3 > w) break;
    used += text.length + 3;
    parts.push(t.fg(STATE_ROLE[s], text));
  }
  return parts.join(t.fg('dim', ` ${t.glyphs.sep} `));
}

function sparks(t: Theme, a: ActivityMeter, w: number): string {
  // Three of `NAME ` + cells, two spaces between them.
  const cells = Math.max(4, Math.floor((w - 17) / 3));
  return (['dhcp', 'tftp', 'http'] as const).map((c) => `${t.fg('dim', c.toUpperCase())} ${t.fg('info', sparkline(a.series(c), cells, t.glyphs.spark))}`).join(' ');
}

/**
 * Hints laid out in columns of `rows`, as many columns as fit; labels are cut at 16 columns only when the
 * full labels (up to 24) would leave hints out.
 */
export function hintColumns(t: Theme, hints: Hint[], w: number, rows: number): string[] {
  const shown = (cap: number) => layoutHints(hints, w, rows, cap).reduce((n, c) => n + c.hints.length, 0);
  const cap = shown(24) >= shown(16) ? 24 : 16;
  const out: string[] = Array.from({ length: rows }, () => '');
  for (const { hints: col, keyW, labelW } of layoutHints(hints, w, rows, cap)) {
    col.forEach((h, i) => {
      const key = fit(`<${h.key}>`, keyW);
      const label = fit(h.label, labelW);
      const k = h.disabled ? t.fg('muted', safe(key)) : t.fg(h.danger ? 'err' : 'accent', safe(key));
      const l = h.disabled ? t.fg('muted', safe(label)) : t.fg('text', safe(label));
      out[i] += `${k} ${l}  `;
    });
  }
  return out;
}

function layoutHints(hints: Hint[], w: number, rows: number, cap: number): { hints: Hint[]; keyW: number; labelW: number }[] {
  const cols: { hints: Hint[]; keyW: number; labelW: number }[] = [];
  let used = 0;
  for (let start = 0; start < hints.length; start += rows) {
    const col = hints.slice(start, start + rows);
    const keyW = Math.max(...col.map((h) => width(h.key))) + 2;
    const labelW = Math.min(cap, Math.max(...col.map((h) => width(h.label))));
    const colW = keyW + 1 + labelW + 2;
    if (used + colW - 2 > w) break;
    cols.push({ hints: col, keyW, labelW });
    used += colW;
  }
  return cols;
}

/** Tagged text cut to `cols` visible columns (tags kept, so colours close properly). */
export function fitTagged(tagged: string, cols: number): string {
  if (plainWidth(tagged) <= cols) return tagged;
  let out = '';
  let used = 0;
  for (const part of tagged.split(/(\{[^{}]*\})/)) {
    if (/^\{[^{}]*\}$/.test(part) && part !== '{open}' && part !== '{close}') {
      out += part;
      continue;
    }
    const text = part === '{open}' ? '{' : part === '{close}' ? '}' : part;
    for (const ch of text) {
      const wd = width(ch);
      if (used + wd > cols - 1) return `${out}…{/}`;
      out += ch === '{' ? '{open}' : ch === '}' ? '{close}' : ch;
      used += wd;
    }
  }
  return out;
}

/** Width of tagged text without its tags. */
export function plainWidth(tagged: string): number {
  return width(tagged.replace(/\{\/?[^{}]*\}/g, (m) => (m === '{open}' || m === '{close}' ? '{' : '')));
}
