/**
 * A Server as a row: its state in the operator's words, where it is in its boot, what it is made of.
 */
import type { Condition, Server } from '../../api/index.js';
import { driverNameOf } from '../../power/index.js';
import type { Row, Column } from '../model/table.js';
import { activityText, type Progress } from '../model/progress.js';
import type { Relations } from '../model/relations.js';
import type { Role } from '../theme.js';
import { age } from '../text.js';

export type ServerState =
  | 'invalid'
  | 'deleting'
  | 'new'
  | 'cordoned'
  | 'installed'
  | 'installing'
  | 'allocated'
  | 'wiping'
  | 'available';

export const STATE_ROLE: Record<ServerState, Role> = {
  invalid: 'err',
  deleting: 'err',
  new: 'warn',
  cordoned: 'muted',
  installed: 'ok',
  installing: 'busy',
  allocated: 'info',
  wiping: 'warn',
  available: 'ok',
};

/** The order states are counted in the header. */
export const STATE_ORDER: ServerState[] = ['new', 'available', 'allocated', 'installing', 'installed', 'wiping', 'cordoned', 'deleting', 'invalid'];

const isTrue = (cs: Condition[] | undefined, type: string) => !!cs?.some((c) => c.type === type && c.status === 'True');
const inProgress = (cs: Condition[] | undefined, type: string) => !!cs?.some((c) => c.type === type && c.status === 'False' && c.reason === 'InProgress');

export function serverState(s: Server, rel: Relations, progress: Progress | undefined): ServerState {
  if (rel.problemOf(s)) return 'invalid';
  if (s.metadata.deletionTimestamp) return 'deleting';
  if (!s.spec?.accepted) return 'new';
  if (s.spec.cordoned) return 'cordoned';
  const binding = rel.bindingOf(s.metadata.name);
  if (binding || s.status?.inUse) {
    const bc = binding?.status?.conditions;
    if (isTrue(bc, 'TalosInstalled') || isTrue(s.status?.conditions, 'PXEBooted') || progress?.phase === 'installed' || progress?.phase === 'disk') return 'installed';
    if (inProgress(bc, 'TalosInstalled') || progress?.phase === 'config' || progress?.phase === 'installing') return 'installing';
    return 'allocated';
  }
  if (s.status?.isClean === false) return 'wiping';
  return 'available';
}

export const SERVER_COLUMNS: Column[] = [
  { title: 'NAME', min: 13, max: 36 },
  { title: 'HOSTNAME', min: 8, max: 24, drop: 3 },
  { title: 'STATE', min: 9 },
  { title: 'CLUSTER', min: 7, max: 20, drop: 5 },
  { title: 'CLASS', min: 5, max: 18, drop: 2 },
  { title: 'POWER', min: 5, drop: 4 },
  { title: 'CPU', align: 'right', drop: 6 },
  { title: 'MEM', align: 'right', drop: 7 },
  { title: 'ACTIVITY', min: 10, max: 30, flex: true, drop: 8 },
  { title: 'AGE', align: 'right', drop: 9 },
];

const POWER_ROLE: Record<string, Role> = { on: 'ok', off: 'dim', unknown: 'warn' };

export function serverRow(s: Server, rel: Relations, progress: Progress | undefined): Row {
  const name = s.metadata?.name ?? '?';
  const problem = rel.problemOf(s);
  if (problem) return invalidRow(name, problem, s.metadata?.creationTimestamp);
  const state = serverState(s, rel, progress);
  const hw = s.spec?.hardware;
  const place = rel.placementOf(s);
  const classes = rel.classesOf(name);
  const bound = rel.bindingOf(name)?.spec?.serverClassRef?.name;
  const shown = bound ? [bound] : classes.filter((c) => c !== 'any');
  const p0 = hw?.compute?.processors?.[0];
  const cores = hw?.compute?.totalCoreCount ?? (p0?.coreCount ? p0.coreCount * (hw?.compute?.processorCount ?? 1) : undefined);
  const power = powerOf(s);
  const created = s.metadata.creationTimestamp;
  return {
    id: name,
    labels: s.metadata.labels ?? {},
    cells: [
      { text: name },
      { text: s.spec?.hostname ?? '' },
      { text: state, role: STATE_ROLE[state], sort: STATE_ORDER.indexOf(state) },
      {
        text: place.cluster ? `${place.cluster}${place.role ? `/${place.role === 'controlplane' ? 'cp' : 'w'}` : ''}` : '',
        ...(place.reserved ? { role: 'dim' as const } : {}),
      },
      { text: shown.length ? shown.join(',') : classes.length ? 'any' : '', ...(shown.length ? {} : { role: 'dim' as const }) },
      { text: power || '-', role: POWER_ROLE[power] ?? 'dim' },
      { text: cores ? `${cores}c` : '', sort: cores ?? 0 },
      { text: hw?.memory?.totalSize ?? '', sort: memSort(hw?.memory?.totalSize) },
      activityCell(progress),
      { text: '', sort: created ?? '', live: (now) => age(created, now) },
    ],
  };
}

/** The power state, or '' when nothing can know it (no BMC, no power driver). */
function powerOf(s: Server): string {
  let driver: string;
  try {
    driver = driverNameOf(s);
  } catch {
    return 'unknown';
  }
  if (driver === 'none') return '';
  return s.status?.power ?? 'unknown';
}

function activityCell(p: Progress | undefined): Row['cells'][number] {
  if (!p) return { text: '', role: 'dim' };
  const role: Role = p.phase === 'error' || p.phase === 'denied' ? 'err' : p.phase === 'installed' || p.phase === 'disk' ? 'ok' : p.phase === 'parked' ? 'dim' : p.phase === 'talos' ? 'busy' : 'info';
  return { text: activityText(p), role, sort: p.at };
}

function memSort(total: string | undefined): number {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)/i.exec(total ?? '');
  if (!m) return 0;
  const mult: Record<string, number> = { '': 1, K: 1e-6, M: 1e-3, G: 1, T: 1e3 };
  return Number(m[1]) * (mult[m[2]!.toUpperCase()] ?? 1);
}

export function invalidRow(name: string, problem: string, created: string | undefined, width = 10): Row {
  const cells: Row['cells'] = Array.from({ length: width }, () => ({ text: '' }));
  cells[0] = { text: name };
  cells[2] = { text: 'invalid', role: 'err', sort: STATE_ORDER.indexOf('invalid') };
  cells[width - 2] = { text: problem, role: 'err' };
  cells[width - 1] = { text: '', sort: created ?? '', live: (now) => age(created, now) };
  return { id: name, cells, invalid: problem };
}

/** The MACs of a server's network interfaces, lowercase. */
export function serverMacs(s: Server): string[] {
  return (s.spec?.hardware?.network?.interfaces ?? []).map((i) => i.mac?.toLowerCase()).filter((m): m is string => !!m);
}
