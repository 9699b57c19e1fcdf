/**
 * The contents of a server's page: the overview (state, placement, power, BMC without its password,
 * hardware), the boot timeline from the event bus, and the kernel log Talos streams.
 */
import { annotations, type Server } from '../../api/index.js';
import { formatEvent, severityOf, type EventRecord } from '../../events/index.js';
import { driverNameOf } from '../../power/index.js';
import { activityText, stepOf, type Phase } from '../model/progress.js';
import { STATE_ROLE, serverState } from '../render/servers.js';
import { bytes, clock, fit, safe, truncate } from '../text.js';
import type { Role, Theme } from '../theme.js';
import type { ConsoleContext } from './view.js';

const KEY_W = 11;

/** `Key        value`: values are already safe and cut to the width (see v). */
function kv(t: Theme, key: string, value: string, _w?: number): string {
  return ` ${t.fg('dim', fit(key, KEY_W))} ${value || t.fg('dim', '-')}`;
}

const v = (text: string | number | undefined, w: number) => safe(truncate(String(text ?? ''), Math.max(8, w - KEY_W - 3)));

export function overviewLines(ctx: ConsoleContext, s: Server, w: number): string[] {
  const t = ctx.theme;
  const name = s.metadata.name;
  const progress = ctx.progress.of(name);
  const state = serverState(s, ctx.relations, progress);
  const place = ctx.relations.placementOf(s);
  const binding = ctx.relations.bindingOf(name);
  const classes = ctx.relations.classesOf(name);
  const problem = ctx.relations.problemOf(s);
  const lines: string[] = [];
  lines.push(kv(t, 'State', t.fg(STATE_ROLE[state], t.bold(state)) + (problem ? ` ${t.fg('err', v(problem, w - 10))}` : ''), w));
  lines.push(kv(t, 'Hostname', v(s.spec?.hostname, w), w));
  lines.push(kv(t, 'Accepted', `${s.spec?.accepted ? 'yes' : t.fg('warn', 'no (a to accept)')}   ${t.fg('dim', 'cordoned')} ${s.spec?.cordoned ? t.fg('warn', 'yes') : 'no'}`, w));
  const cluster = place.cluster ? `${place.cluster}${place.role ? ` as ${place.role === 'controlplane' ? 'control plane' : 'worker'}` : ''}` : '';
  lines.push(kv(t, 'Cluster', v(cluster, w) + (place.reserved ? t.fg('dim', ' (reserved, not yet allocated)') : ''), w));
  const bound = binding?.spec?.serverClassRef?.name;
  lines.push(kv(t, 'Classes', v([...(bound ? [`${bound} (allocated through it)`] : []), ...classes.filter((c) => c !== bound)].join(', '), w), w));
  lines.push(kv(t, 'Labels', v(Object.entries(s.metadata.labels ?? {}).map(([k, x]) => `${k}=${x}`).join(' '), w), w));
  lines.push(kv(t, 'Addresses', v((s.status?.addresses ?? []).map((a) => a.address).join(', '), w), w));
  lines.push(kv(t, 'Power', powerLine(s), w));
  lines.push(kv(t, 'BMC', bmcLine(s), w));
  const cp = s.spec?.configPatches?.length ?? 0;
  const sp = s.spec?.strategicPatches?.length ?? 0;
  lines.push(kv(t, 'Patches', `${cp} JSON, ${sp} strategic ${t.fg('dim', '(P to edit)')}`, w));
  if (progress) lines.push(kv(t, 'Latest', `${v(activityText(progress), w - 10)} ${t.fg('dim', clock(progress.at))}`, w));
  lines.push('');
  lines.push(` ${t.bold(t.fg('title', 'Hardware'))}`);
  lines.push(...hardwareLines(ctx, s, w));
  return lines;
}

function powerLine(s: Server): string {
  let driver: string;
  try {
    driver = driverNameOf(s);
  } catch (e) {
    return safe((e as Error).message);
  }
  if (driver === 'none') return 'no power control (no BMC or power driver: p explains)';
  return `${safe(s.status?.power ?? 'unknown')} (${driver})`;
}

/** The BMC: where and who, never the password. */
function bmcLine(s: Server): string {
  const b = s.spec?.bmc;
  if (!b) return '';
  const user = b.user ? `user ${b.user}` : b.userFrom?.secretKeyRef ? `user from secret ${b.userFrom.secretKeyRef.name}` : '';
  const pass = b.pass || b.passFrom ? 'password set (hidden)' : 'no password';
  return safe(`${b.endpoint}${b.port ? `:${b.port}` : ''} ${b.interface ?? 'lanplus'} ${user} · ${pass}`);
}

function hardwareLines(ctx: ConsoleContext, s: Server, w: number): string[] {
  const t = ctx.theme;
  const hw = s.spec?.hardware;
  if (!hw) return [kv(t, '', t.fg('dim', 'not reported yet'), w)];
  const sys = hw.system;
  const cpu = hw.compute;
  const p0 = cpu?.processors?.[0];
  const n = cpu?.processorCount ?? cpu?.processors?.length ?? 1;
  const cores = cpu?.totalCoreCount ?? (p0?.coreCount ? p0.coreCount * n : undefined);
  const threads = cpu?.totalThreadCount ?? (p0?.threadCount ? p0.threadCount * n : undefined);
  const counts = [cores && `${cores} cores`, threads && `${threads} threads`].filter(Boolean).join(' / ');
  const notReported = t.fg('dim', 'not reported yet (iPXE cannot read it; Talos reports it once installed)');
  const out = [
    kv(t, 'System', v([sys?.manufacturer, sys?.productName, sys?.serialNumber && `serial ${sys.serialNumber}`, sys?.skuNumber && `sku ${sys.skuNumber}`].filter(Boolean).join(' · '), w), w),
    kv(t, 'CPU', v([`${n} × ${p0?.productName ?? p0?.manufacturer ?? 'unknown'}`, counts, p0?.speed ? `${p0.speed} MHz` : ''].filter(Boolean).join(' · '), w), w),
    kv(t, 'Memory', hw.memory?.totalSize ? v(`${hw.memory.totalSize}${hw.memory.moduleCount ? ` in ${hw.memory.moduleCount} modules` : ''}`, w) : notReported, w),
  ];
  const disks = hw.storage?.devices ?? [];
  out.push(kv(t, 'Storage', hw.storage ? v(`${hw.storage.totalSize ?? ''}${disks.length ? ` · ${disks.map((d) => `${d.deviceName ?? d.name ?? '?'} ${d.type ?? ''} ${bytes(d.size)}`.trim()).join(', ')}` : ''}`, w) : notReported, w));
  (hw.network?.interfaces ?? []).forEach((nic, i) => {
    out.push(kv(t, i === 0 ? 'Network' : '', v([nic.name, nic.mac, ...(nic.addresses ?? [])].filter(Boolean).join(' '), w), w));
  });
  const ipxe = s.metadata.annotations?.[annotations.IPXE_BINARY];
  if (ipxe) out.push(kv(t, 'iPXE', v(ipxe, w), w));
  return out;
}

const STEP_NAME: Record<Phase, string> = {
  discovered: 'discovered',
  dhcp: 'DHCP',
  tftp: 'TFTP',
  ipxe: 'iPXE',
  parked: 'parked',
  kernel: 'kernel',
  initrd: 'initrd',
  config: 'config',
  installing: 'installing',
  talos: 'Talos',
  installed: 'installed',
  disk: 'disk boot',
  power: 'power',
  denied: 'denied',
  error: 'error',
};

const STEP_ROLE: Partial<Record<Phase, Role>> = { installed: 'ok', error: 'err', denied: 'err', parked: 'dim', installing: 'busy', talos: 'busy' };

/** The boot timeline: one line per step with its time; a transfer's progress events fold into one line. */
export function timelineLines(ctx: ConsoleContext, records: EventRecord[], w: number): string[] {
  const t = ctx.theme;
  const out: { key: string; count: number; line: string }[] = [];
  for (const r of records) {
    if (r.event.type === 'talos.log') continue;
    const step = stepOf(r.event);
    const time = t.fg('dim', clock(r.time));
    if (!step) {
      const sev = severityOf(r.event);
      const text = safe(truncate(formatEvent(r.event), w - 24));
      out.push({ key: `e${r.seq}`, count: 1, line: ` ${time}  ${fit('', 10)}  ${sev === 'info' ? t.fg('dim', text) : t.fg(sev === 'error' ? 'err' : 'warn', text)}` });
      continue;
    }
    const name = t.fg(STEP_ROLE[step.phase] ?? 'info', fit(STEP_NAME[step.phase], 10));
    let detail = safe(truncate(step.detail, w - 40));
    if (r.event.type === 'tftp.transfer' && step.pct !== undefined) detail = `${safe(truncate(r.event.file, 20))} ${bar(t, step.pct, 16)} ${step.pct}%`;
    // A transfer's progress folds into one line; so does a park loop asking again with the same answer.
    const key = r.event.type === 'tftp.transfer' ? `tftp:${r.event.peer}:${r.event.file}` : step.phase === 'parked' ? `park:${step.detail}` : `e${r.seq}`;
    const last = out.at(-1);
    if (last && last.key === key) {
      last.count++;
      const times = step.phase === 'parked' ? ` ${t.fg('dim', `×${last.count}`)}` : '';
      last.line = ` ${time}  ${name}  ${detail}${times}`;
    } else out.push({ key, count: 1, line: ` ${time}  ${name}  ${detail}` });
  }
  if (!out.length) return [` ${t.fg('dim', 'nothing yet: the timeline fills as the server boots (DHCP, TFTP, iPXE, kernel, config, install)')}`];
  return out.map((o) => o.line);
}

function bar(t: Theme, pct: number, cells: number): string {
  const full = Math.round((pct / 100) * cells);
  const g = t.glyphs.spark;
  return t.fg('info', g[g.length - 1]!.repeat(full)) + t.fg('muted', g[0]!.repeat(cells - full));
}

/** Kernel log lines as Talos streamed them. */
export function kernelLogLines(records: EventRecord[]): string[] {
  const out: string[] = [];
  for (const r of records) if (r.event.type === 'talos.log') out.push(`${clock(r.time)} ${r.event.line}`);
  return out;
}
