/**
 * The generic resource list (lazydocker's SideListPanel, k9s's Browser): a kind's objects as rows, fed by
 * store watch events that only mark rows dirty; the rows are rebuilt once per tick.
 */
import type { Resource } from '../../api/index.js';
import type { EventRecord } from '../../events/index.js';
import type { WatchEvent } from '../../store/index.js';
import type { Action } from '../keys.js';
import type { Filter } from '../model/filter.js';
import { TableModel, type Column, type Row } from '../model/table.js';
import { safe } from '../text.js';
import { drawTable } from '../widgets/table-view.js';
import type { Area, ConsoleContext, View } from './view.js';
import { navigationActions } from './navigation.js';

export interface ListSpec<T extends Resource> {
  /** The view's name, as typed after `:`. */
  name: string;
  kind: string;
  namespaced: boolean;
  /** Other kinds whose changes affect these rows. */
  related?: string[];
  columns: Column[];
  sortCol?: number;
  sortAsc?: boolean;
  /** What an empty list says (a hint of what to do). */
  empty: string;
  row(obj: T, ctx: ConsoleContext): Row;
  actions(view: ListView<T>, ctx: ConsoleContext): Action[];
  /** Which rows a related change touches: ids, or 'all'. */
  relatedDirty?(e: WatchEvent, ctx: ConsoleContext): string[] | 'all';
  /** Which rows an event on the bus touches. */
  eventDirty?(r: EventRecord, ctx: ConsoleContext): string[] | 'all';
  /** More for the frame title (a cluster's phase and counts). */
  title?(): string;
  /** Only objects passing this are listed (a class's members). */
  scope?: (obj: T) => boolean;
}

export class ListView<T extends Resource> implements View {
  readonly model: TableModel;
  private dirty: Set<string> | 'all' = 'all';
  private filled = false;
  private readonly unwatch: () => void;
  private readonly unlisten: () => void;
  crumb: string;

  constructor(
    readonly spec: ListSpec<T>,
    readonly ctx: ConsoleContext,
  ) {
    this.crumb = spec.name;
    this.model = new TableModel(spec.columns, spec.sortCol ?? 0);
    if (spec.sortAsc === false) this.model.sortAsc = false;
    this.unwatch = ctx.store.watch((e) => this.onWatch(e), { kinds: [spec.kind, ...(spec.related ?? [])] });
    this.unlisten = spec.eventDirty ? ctx.events.subscribe((r) => this.touch(spec.eventDirty!(r, ctx))) : () => undefined;
  }

  /** Rows to rebuild on the next tick. */
  touch(ids: string[] | 'all'): void {
    if (ids === 'all') this.dirty = 'all';
    else if (this.dirty !== 'all') for (const id of ids) this.dirty.add(id);
    if (ids === 'all' || ids.length) this.ctx.invalidate();
  }

  /** An object of this view's kind changed in a way its row shows (found invalid). */
  touchObject(obj: Resource): void {
    if (obj.kind === this.spec.kind) this.touch([this.idOf(obj)]);
  }

  idOf(obj: Resource): string {
    return this.spec.namespaced ? `${obj.metadata.namespace ?? 'default'}/${obj.metadata.name}` : obj.metadata.name;
  }

  /** The object behind a row id. */
  object(id: string | undefined): T | undefined {
    if (id === undefined) return undefined;
    if (!this.spec.namespaced) return this.ctx.store.get<T>(this.spec.kind, id);
    const slash = id.indexOf('/');
    return this.ctx.store.get<T>(this.spec.kind, id.slice(slash + 1), id.slice(0, slash));
  }

  get selected(): T | undefined {
    return this.object(this.model.selectedId);
  }

  /** The marked objects, or the selected one. */
  targets(): T[] {
    return this.model.targets().map((id) => this.object(id)).filter((o): o is T => !!o);
  }

  title(): string {
    const n = this.model.ids().length;
    const total = this.model.size;
    const f = this.model.filter;
    const count = f ? `${n}/${total}` : `${total}`;
    const filter = f ? ` ${this.ctx.theme.fg('accent', `</${safe(f.source)}>`)}` : '';
    const marked = this.model.marked.size ? ` ${this.ctx.theme.fg('accent', `${this.model.marked.size} marked`)}` : '';
    const extra = this.spec.title ? ` ${this.spec.title()}` : '';
    return ` ${this.ctx.theme.bold(safe(this.crumb))}[${count}]${extra}${filter}${marked} `;
  }

  actions(): Action[] {
    return [...this.spec.actions(this, this.ctx), ...navigationActions(this.model, this.ctx)];
  }

  sync(now: number): void {
    const dirty = this.dirty;
    if (dirty !== 'all' && dirty.size === 0) return;
    this.dirty = new Set();
    const track = this.filled;
    this.filled = true;
    if (dirty === 'all') {
      const seen = new Set<string>();
      for (const obj of this.ctx.store.list<T>(this.spec.kind)) {
        if (this.spec.scope && !this.spec.scope(obj)) continue;
        const id = this.idOf(obj);
        seen.add(id);
        this.model.upsert(this.safeRow(obj), now, track);
      }
      this.model.retain(seen);
      return;
    }
    for (const id of dirty) {
      const obj = this.object(id);
      if (!obj || (this.spec.scope && !this.spec.scope(obj))) this.model.remove(id);
      else this.model.upsert(this.safeRow(obj), now, track);
    }
  }

  draw(area: Area, now: number): string[] {
    return drawTable(this.model, this.ctx.theme, area.width, area.height, now, this.model.filter ? 'nothing matches the filter (esc clears it)' : this.spec.empty).lines;
  }

  animating(now: number): boolean {
    return this.model.hasMarks(now);
  }

  readonly filter = {
    current: (): Filter | undefined => this.model.filter,
    set: (f: Filter | undefined): void => this.model.setFilter(f),
  };

  dispose(): void {
    this.unwatch();
    this.unlisten();
  }

  private onWatch(e: WatchEvent): void {
    if (e.object.kind === this.spec.kind) return this.touch([this.idOf(e.object)]);
    this.touch(this.spec.relatedDirty ? this.spec.relatedDirty(e, this.ctx) : 'all');
  }

  /** A row that cannot be drawn is drawn as invalid, never a crash. */
  private safeRow(obj: T): Row {
    try {
      return this.spec.row(obj, this.ctx);
    } catch (e) {
      const id = this.idOf(obj);
      const cells = this.spec.columns.map(() => ({ text: '' }));
      cells[0] = { text: obj.metadata?.name ?? id };
      cells[cells.length - 1] = { text: `invalid: ${(e as Error).message}` };
      return { id, cells, invalid: (e as Error).message };
    }
  }
}
