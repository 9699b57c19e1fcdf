/** The event log, newest first, live: everything the appliance did and saw. */
import { formatEvent, severityOf, type EventRecord } from '../../events/index.js';
import type { Action } from '../keys.js';
import type { Filter } from '../model/filter.js';
import { TableModel, type Row } from '../model/table.js';
import { clock, safe } from '../text.js';
import type { Role } from '../theme.js';
import { drawTable } from '../widgets/table-view.js';
import { navigationActions } from './navigation.js';
import { ServerPage } from './server-page.js';
import type { Area, ConsoleContext, View } from './view.js';

const KEEP = 2000;
const SEVERITY_ROLE: Record<string, Role> = { info: 'text', warn: 'warn', error: 'err' };

/** The message with a long server name cut to its first 8 characters (the SUBJECT cell has it whole). */
export function eventMessage(r: EventRecord): string {
  const text = formatEvent(r.event);
  const server = (r.event as { server?: string }).server;
  return server && server.length > 12 ? text.split(server).join(`${server.slice(0, 8)}…`) : text;
}

function eventRow(r: EventRecord): Row {
  const e = r.event as { server?: string; mac?: string };
  const sev = severityOf(r.event);
  return {
    id: String(r.seq),
    cells: [
      { text: clock(r.time), sort: r.seq },
      { text: sev, role: SEVERITY_ROLE[sev] ?? 'text' },
      { text: r.event.type, role: 'dim' },
      { text: e.server ?? e.mac ?? '' },
      { text: eventMessage(r), ...(sev === 'info' ? {} : { role: SEVERITY_ROLE[sev] }) },
    ],
  };
}

export class EventsView implements View {
  readonly crumb = 'events';
  readonly model = new TableModel(
    [
      { title: 'TIME', min: 8 },
      { title: 'LEVEL', min: 5, drop: 2 },
      { title: 'KIND', max: 18, drop: 1 },
      // A short key to scan by (a MAC fits); the message has the whole name.
      { title: 'SUBJECT', max: 17, drop: 3 },
      { title: 'MESSAGE', min: 20, flex: true },
    ],
    0,
  );
  private pending: EventRecord[] = [];
  private readonly unlisten: () => void;
  private readonly order: string[] = [];

  constructor(private readonly ctx: ConsoleContext) {
    this.model.sortAsc = false;
    const now = ctx.now();
    for (const r of ctx.events.recent(KEEP)) this.add(r, now, false);
    this.unlisten = ctx.events.subscribe((r) => {
      this.pending.push(r);
      ctx.invalidate();
    });
  }

  title(): string {
    const f = this.model.filter;
    const n = this.model.ids().length;
    return ` ${this.ctx.theme.bold('events')}[${f ? `${n}/${this.model.size}` : n}]${f ? ` ${this.ctx.theme.fg('accent', `</${safe(f.source)}>`)}` : ''} `;
  }

  actions(): Action[] {
    const subject = () => (this.model.selectedId ? (this.ctx.events.recent(KEEP).find((r) => String(r.seq) === this.model.selectedId)?.event as { server?: string } | undefined)?.server : undefined);
    return [
      {
        key: 'enter',
        label: 'server',
        help: "open the event's server",
        disabled: () => (subject() && this.ctx.store.get('Server', subject()!) ? undefined : 'the event is not about a known server'),
        run: () => this.ctx.push(new ServerPage(this.ctx, subject()!)),
      },
      ...navigationActions(this.model, this.ctx),
    ];
  }

  sync(now: number): void {
    const batch = this.pending;
    this.pending = [];
    for (const r of batch) this.add(r, now, true);
  }

  draw(area: Area, now: number): string[] {
    return drawTable(this.model, this.ctx.theme, area.width, area.height, now, this.model.filter ? 'nothing matches the filter (esc clears it)' : 'no events yet').lines;
  }

  animating(now: number): boolean {
    return this.model.hasMarks(now);
  }

  readonly filter = {
    current: (): Filter | undefined => this.model.filter,
    set: (f: Filter | undefined): void => this.model.setFilter(f),
  };

  dispose(): void {
    this.unlisten();
  }

  private add(r: EventRecord, now: number, track: boolean): void {
    const row = eventRow(r);
    this.model.upsert(row, now, track);
    this.order.push(row.id);
    while (this.order.length > KEEP) this.model.remove(this.order.shift()!);
  }
}
