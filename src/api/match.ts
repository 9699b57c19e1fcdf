/**
 * Which servers a ServerClass selects. Pure functions for the controllers and the console.
 *
 * Metalbox keeps Sidero's rules (DESIGN.md section 9 says where it does better):
 * - a server must be accepted and not cordoned;
 * - `spec.selector` (a label selector) must match its labels;
 * - `qualifiers.hardware` is a list of alternatives (OR); inside one entry every non-empty field must match
 *   (AND), and empty fields are ignored;
 * - `qualifiers.labelSelectors` matches when ANY key=value of ANY map is among the server's labels (Sidero's
 *   own, surprising, OR semantics, kept for compatibility).
 * Better than Sidero: a list in a qualifier (processors, memory modules, disks, interfaces) matches when each
 * of its elements matches a different element of the server's list, at any position (Sidero compares
 * position by position); and two sizes such as "32 GB" and "32768 MB" compare as numbers.
 */
import type { Resource } from './meta.js';
import { matchesSelector } from './selector.js';
import type { HardwareInformation, Qualifiers, Server, ServerClass, ServerClassStatus } from './types/metal.js';

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/**
 * Bytes in a size such as `32 GB`, `1116GB`, `512 MiB`, `2 TB`. Sidero writes "GB" for GiB (bytes/1024³),
 * so decimal and binary units are both read as powers of 1024. A bare number is not a size.
 */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgtp]?)(i?)b\s*$/i.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * UNITS[m[2]!.toLowerCase()]!;
}

function isZero(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.values(v).every(isZero);
  return false;
}

function scalarMatches(want: unknown, have: unknown): boolean {
  if (typeof want === 'string' && typeof have === 'string') {
    if (want === have) return true;
    const a = parseSize(want);
    const b = parseSize(have);
    return a !== undefined && b !== undefined && a === b;
  }
  return want === have;
}

/** Assign every wanted element to a different element of `have` that it matches (backtracking; lists are short). */
function listMatches(want: unknown[], have: unknown): boolean {
  if (!Array.isArray(have)) return false;
  const wanted = want.filter((w) => !isZero(w));
  if (wanted.length > have.length) return false;
  const used = new Array<boolean>(have.length).fill(false);
  const place = (i: number): boolean => {
    if (i === wanted.length) return true;
    for (let j = 0; j < have.length; j++) {
      if (used[j] || !partialMatch(wanted[i], have[j])) continue;
      used[j] = true;
      if (place(i + 1)) return true;
      used[j] = false;
    }
    return false;
  };
  return place(0);
}

/** Does `have` satisfy every non-empty part of `want`? */
export function partialMatch(want: unknown, have: unknown): boolean {
  if (isZero(want)) return true;
  if (Array.isArray(want)) return listMatches(want, have);
  if (typeof want === 'object' && want !== null) {
    const h = typeof have === 'object' && have !== null && !Array.isArray(have) ? (have as Record<string, unknown>) : {};
    return Object.entries(want).every(([k, v]) => partialMatch(v, h[k]));
  }
  return have !== undefined && have !== null && scalarMatches(want, have);
}

/** One hardware qualifier entry against a server's hardware. */
export function hardwareMatches(want: HardwareInformation, have: HardwareInformation | undefined): boolean {
  return partialMatch(want, have ?? {});
}

/** A ServerClass's qualifiers against a server (empty qualifiers match every server). */
export function qualifiersMatch(q: Qualifiers | undefined, server: Pick<Server, 'metadata' | 'spec'>): boolean {
  const hw = q?.hardware ?? [];
  if (hw.length && !hw.some((entry) => server.spec?.hardware !== undefined && hardwareMatches(entry, server.spec.hardware))) {
    return false;
  }
  const ls = q?.labelSelectors ?? [];
  if (ls.length) {
    const labels = server.metadata.labels ?? {};
    const any = ls.some((m) => Object.entries(m).some(([k, v]) => labels[k] === v));
    if (!any) return false;
  }
  return true;
}

/** Is `server` a member of `cls`: accepted, not cordoned, matching selector and qualifiers? */
export function classSelects(cls: Pick<ServerClass, 'spec'>, server: Pick<Server, 'metadata' | 'spec'>): boolean {
  if (!server.spec?.accepted || server.spec.cordoned) return false;
  if (!matchesSelector(server.metadata.labels, cls.spec?.selector)) return false;
  return qualifiersMatch(cls.spec?.qualifiers, server);
}

const byName = (a: Resource, b: Resource) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0);

/** The servers `cls` selects, sorted by name (Sidero's allocation order). */
export function serversOfClass<S extends Server>(cls: Pick<ServerClass, 'spec'>, servers: readonly S[]): S[] {
  return servers.filter((s) => classSelects(cls, s)).sort(byName);
}

/** A ServerClass's status as Sidero computes it: members split by `status.inUse`. */
export function serverClassStatus(cls: Pick<ServerClass, 'spec'>, servers: readonly Server[]): ServerClassStatus {
  const members = serversOfClass(cls, servers);
  return {
    serversAvailable: members.filter((s) => !s.status?.inUse).map((s) => s.metadata.name),
    serversInUse: members.filter((s) => s.status?.inUse).map((s) => s.metadata.name),
  };
}
