/**
 * A table of rows keyed by id (k9s's model): rows are replaced as objects change, changed cells are
 * remembered for a few seconds so they can be marked, and the selection, the marks and the scroll position
 * follow ids, not positions, so nothing jumps under the operator's cursor while the list changes.
 */
import type { Role } from '../theme.js';
import { compareKeys, prepare, type Prepared } from './sort.js';
import { passes, type Filter } from './filter.js';

export interface Column {
  title: string;
  align?: 'left' | 'right';
  /** Narrowest it may be squeezed to. */
  min?: number;
  /** Widest it grows to. */
  max?: number;
  /** Lower goes first when the terminal is too narrow (0 = never dropped). */
  drop?: number;
  /** Takes the width left over. */
  flex?: boolean;
}

export interface Cell {
  text: string;
  role?: Role;
  /** What sorting compares; the text when absent. */
  sort?: number | string;
  /** Text that changes with time (ages), computed when drawn; not compared for change marks. */
  live?: (now: number) => string;
}

export interface Row {
  id: string;
  cells: Cell[];
  labels?: Record<string, string>;
  /** Shown as invalid: the reason. */
  invalid?: string;
}


/** How long a change stays marked. */
export const MARK_MS = 3000;

export interface Marks {
  cols: Set<number>;
  at: number;
  added: boolean;
}

export class TableModel {
  private readonly rows = new Map<string, Row>();
  private readonly prepared = new Map<string, Prepared>();
  private widthCache: { natural: number[]; empty: boolean[] } | undefined;
  private readonly changes = new Map<string, Marks>();
  readonly marked = new Set<string>();
  private order: string[] = [];
  private stale = true;
  private selected: string | undefined;
  private lastIndex = 0;
  /** The operator chose a row; until then the cursor stays on the first row while rows arrive. */
  private chosen = false;
  offset = 0;
  sortCol: number;
  sortAsc = true;
  filter: Filter | undefined;

  constructor(
    readonly columns: Column[],
    sortCol = 0,
  ) {
    this.sortCol = sortCol;
  }

  get size(): number {
    return this.rows.size;
  }

  get(id: string): Row | undefined {
    return this.rows.get(id);
  }

  /** Every row, filtered or not. */
  all(): IterableIterator<Row> {
    return this.rows.values();
  }

  /** Add or replace a row; `track` false for the first fill, which marks nothing. */
  upsert(row: Row, now: number, track = true): void {
    const prev = this.rows.get(row.id);
    this.rows.set(row.id, row);
    this.prepared.set(row.id, prepare(row));
    this.stale = true;
    this.widthCache = undefined;
    if (!track) return;
    if (!prev) {
      this.changes.set(row.id, { cols: new Set(), at: now, added: true });
      return;
    }
    const cols = new Set<number>();
    row.cells.forEach((c, i) => {
      if (prev.cells[i]?.text !== c.text) cols.add(i);
    });
    if (cols.size === 0) return;
    const old = this.changes.get(row.id);
    if (old && now - old.at < MARK_MS) for (const c of old.cols) cols.add(c);
    this.changes.set(row.id, { cols, at: now, added: old?.added === true && now - old.at < MARK_MS });
  }

  remove(id: string): void {
    if (this.rows.delete(id)) this.stale = true;
    this.prepared.delete(id);
    this.widthCache = undefined;
    this.changes.delete(id);
    this.marked.delete(id);
  }

  /** Keep only these ids (a full resync). */
  retain(ids: Set<string>): void {
    for (const id of [...this.rows.keys()]) if (!ids.has(id)) this.remove(id);
  }

  marksOf(id: string, now: number): Marks | undefined {
    const m = this.changes.get(id);
    if (!m) return undefined;
    if (now - m.at >= MARK_MS) {
      this.changes.delete(id);
      return undefined;
    }
    return m;
  }

  /** Whether some mark is still showing (the console keeps ticking until they fade). */
  hasMarks(now: number): boolean {
    for (const [id, m] of this.changes) {
      if (now - m.at < MARK_MS) return true;
      this.changes.delete(id);
    }
    return false;
  }

  setFilter(f: Filter | undefined): void {
    this.filter = f;
    this.stale = true;
    this.widthCache = undefined;
  }

  /**
   * The widest text of each column over the rows the filter lets through (cells drawn live excluded), and
   * which columns are empty in every such row; worked out again only when rows change.
   */
  columnWidths(): { natural: number[]; empty: boolean[] } {
    if (this.widthCache && !this.stale) return this.widthCache;
    const natural = this.columns.map(() => 0);
    const empty = this.columns.map(() => true);
    for (const id of this.ids()) {
      const w = this.prepared.get(id)!.widths;
      for (let i = 0; i < natural.length; i++) {
        const x = w[i] ?? 0;
        if (x > natural[i]!) natural[i] = x;
        if (x > 0) empty[i] = false;
      }
    }
    this.widthCache = { natural, empty };
    return this.widthCache;
  }

  /** Sort by a column; the same column again flips the direction. */
  sortBy(col: number): void {
    if (col === this.sortCol) this.sortAsc = !this.sortAsc;
    else {
      this.sortCol = Math.max(0, Math.min(col, this.columns.length - 1));
      this.sortAsc = true;
    }
    this.stale = true;
  }

  /** The filtered, sorted ids. */
  ids(): string[] {
    if (this.stale) this.recompute();
    return this.order;
  }

  /** Every row that the filter currently hides. */
  hiddenCount(): number {
    return this.rows.size - this.ids().length;
  }

  get selectedId(): string | undefined {
    this.ids();
    return this.selected;
  }

  get selectedRow(): Row | undefined {
    const id = this.selectedId;
    return id === undefined ? undefined : this.rows.get(id);
  }

  get selectedIndex(): number {
    const ids = this.ids();
    return this.selected === undefined ? -1 : ids.indexOf(this.selected);
  }

  select(id: string): void {
    if (this.rows.has(id)) {
      this.chosen = true;
      this.selected = id;
      this.lastIndex = Math.max(0, this.ids().indexOf(id));
    }
  }

  move(delta: number): void {
    const ids = this.ids();
    if (ids.length === 0) return;
    const cur = Math.max(0, this.selectedIndex);
    const next = Math.max(0, Math.min(ids.length - 1, cur + delta));
    this.chosen = true;
    this.selected = ids[next];
    this.lastIndex = next;
  }

  moveTo(index: number): void {
    const ids = this.ids();
    if (ids.length === 0) return;
    this.move((index < 0 ? ids.length - 1 : Math.min(index, ids.length - 1)) - Math.max(0, this.selectedIndex));
  }

  toggleMark(): void {
    this.chosen = true;
    const id = this.selectedId;
    if (id === undefined) return;
    if (this.marked.has(id)) this.marked.delete(id);
    else this.marked.add(id);
  }

  /** The marked ids (all of them, also those the filter hides), or the selected one. */
  targets(): string[] {
    if (this.marked.size) return [...this.marked].filter((id) => this.rows.has(id));
    return this.selectedId === undefined ? [] : [this.selectedId];
  }

  /** The rows to draw in `height` lines, scrolled so the selection is visible. */
  window(height: number): { ids: string[]; first: number } {
    const ids = this.ids();
    const sel = Math.max(0, this.selectedIndex);
    if (sel < this.offset) this.offset = sel;
    if (sel >= this.offset + height) this.offset = sel - height + 1;
    this.offset = Math.max(0, Math.min(this.offset, Math.max(0, ids.length - height)));
    return { ids: ids.slice(this.offset, this.offset + height), first: this.offset };
  }

  private recompute(): void {
    const f = this.filter;
    const list: { id: string; key: number | string }[] = [];
    const col = this.sortCol;
    for (const [id, r] of this.rows) {
      const p = this.prepared.get(id)!;
      if (!f || passes(f, p.haystack, r.labels)) list.push({ id, key: p.keys[col] ?? '' });
    }
    const dir = this.sortAsc ? 1 : -1;
    list.sort((a, b) => dir * compareKeys(a.key, b.key) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.order = list.map((r) => r.id);
    this.stale = false;
    this.widthCache = undefined;
    if (!this.chosen) {
      this.selected = this.order[0];
      this.lastIndex = 0;
      return;
    }
    if (this.selected !== undefined && this.rows.has(this.selected)) {
      const at = this.order.indexOf(this.selected);
      if (at >= 0) {
        this.lastIndex = at;
        return;
      }
    }
    // The selected row went away (deleted or filtered out): stay at the same position.
    const at = Math.min(this.lastIndex, this.order.length - 1);
    this.selected = at >= 0 ? this.order[at] : undefined;
  }
}

