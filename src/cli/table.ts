import type { KindInfo, Resource } from '../api/index.js';

/** Split a column path on unescaped dots: `metadata.labels.cluster\.x-k8s\.io/cluster-name`. */
function segments(path: string): string[] {
  return path.split(/(?<!\\)\./).map((s) => s.replace(/\\\./g, '.'));
}

/** The value at a printer-column path; `[]` maps over a list and joins with commas. */
export function valueAt(obj: unknown, path: string): string {
  const walk = (v: unknown, segs: string[]): unknown[] => {
    if (segs.length === 0) return [v];
    const [head, ...rest] = segs as [string, ...string[]];
    if (head.endsWith('[]')) {
      const list = (v as Record<string, unknown> | undefined)?.[head.slice(0, -2)];
      return Array.isArray(list) ? list.flatMap((x) => walk(x, rest)) : [];
    }
    if (v === null || typeof v !== 'object') return [];
    return walk((v as Record<string, unknown>)[head], rest);
  };
  return walk(obj, segments(path))
    .filter((x) => x !== undefined && x !== null && x !== '')
    .map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x)))
    .join(',');
}

/** kubectl's age format: 45s, 12m, 5h, 3d, 2y. */
export function age(since: string | undefined, now = Date.now()): string {
  if (!since) return '<unknown>';
  const s = Math.max(0, Math.floor((now - Date.parse(since)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172800) return `${Math.floor(s / 3600)}h`;
  if (s < 365 * 86400 * 2) return `${Math.floor(s / 86400)}d`;
  return `${Math.floor(s / (365 * 86400))}y`;
}

/** Columns aligned with two spaces, as kubectl prints them. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('   ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export function resourceTable(info: KindInfo, items: readonly Resource[], opts: { wide?: boolean; showNamespace?: boolean } = {}): string {
  const cols = info.columns.filter((c) => opts.wide || !c.wide);
  const header = [...(opts.showNamespace ? ['NAMESPACE'] : []), 'NAME', ...cols.map((c) => c.name), 'AGE'];
  const rows = items.map((r) => [
    ...(opts.showNamespace ? [r.metadata.namespace ?? ''] : []),
    r.metadata.name,
    ...cols.map((c) => valueAt(r, c.path)),
    age(r.metadata.creationTimestamp),
  ]);
  return formatTable(header, rows);
}
