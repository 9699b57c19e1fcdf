/**
 * Draws a TableModel into tagged text: only the rows that fit (a list of 1,000 servers costs what 40 do),
 * columns sized to their content and dropped by priority when the terminal is narrow, the sort column
 * arrowed, changed cells and new rows marked while fresh, marked rows flagged, the selection highlighted.
 */
import type { Column, Row, TableModel } from '../model/table.js';
import { fit, safe, width, wrap } from '../text.js';
import type { Theme } from '../theme.js';

const GAP = 2;

export interface Sized {
  col: number;
  width: number;
}

/**
 * Which columns to show and how wide, for `available` columns of text. When they do not fit, columns empty
 * in every row go first, then the others by their drop priority; what still does not fit is squeezed.
 */
export function layoutColumns(columns: readonly Column[], natural: readonly number[], available: number, empty: readonly boolean[] = []): Sized[] {
  let shown = columns.map((_, i) => i);
  const need = (ids: number[], use: (i: number) => number) => ids.reduce((n, i) => n + use(i), 0) + GAP * Math.max(0, ids.length - 1);
  const want = (i: number) => Math.min(natural[i]!, columns[i]!.max ?? Infinity);
  const least = (i: number) => Math.min(want(i), columns[i]!.min ?? want(i));
  // Too wide: first the columns with nothing in them, then the least important ones (drop 1 and 2) go
  // before anything is cut short.
  for (const i of shown.filter((c) => empty[c] && (columns[c]!.drop ?? 0) > 0)) {
    if (need(shown, want) <= available) break;
    shown = shown.filter((c) => c !== i);
  }
  for (const i of shown.filter((c) => (columns[c]!.drop ?? 0) > 0 && columns[c]!.drop! <= 2).sort((a, b) => columns[a]!.drop! - columns[b]!.drop!)) {
    if (need(shown, want) <= available) break;
    shown = shown.filter((c) => c !== i);
  }
  while (need(shown, least) > available) {
    const droppable = shown.filter((i) => (columns[i]!.drop ?? 0) > 0);
    if (!droppable.length) break;
    const first = droppable.reduce((a, b) => ((columns[b]!.drop ?? 0) > (columns[a]!.drop ?? 0) ? b : a));
    shown = shown.filter((i) => i !== first);
  }
  const widths = new Map(shown.map((i) => [i, want(i)]));
  let over = need(shown, (i) => widths.get(i)!) - available;
  // Squeeze the widest columns first, never below their minimum.
  while (over > 0) {
    const candidates = shown.filter((i) => widths.get(i)! > least(i));
    if (!candidates.length) break;
    const widest = candidates.reduce((a, b) => (widths.get(b)! > widths.get(a)! ? b : a));
    widths.set(widest, widths.get(widest)! - 1);
    over--;
  }
  // Width left over goes to the flex columns, past their max, up to what their text needs.
  for (const i of shown.filter((c) => columns[c]!.flex)) {
    if (over >= 0) break;
    const grow = Math.min(-over, natural[i]! - widths.get(i)!);
    if (grow <= 0) continue;
    widths.set(i, widths.get(i)! + grow);
    over += grow;
  }
  return shown.map((i) => ({ col: i, width: Math.max(1, widths.get(i)!) }));
}

export interface TableDraw {
  /** Tagged lines, exactly `height` of them. */
  lines: string[];
  /** Rows shown / total after filter. */
  first: number;
  count: number;
}

export function drawTable(model: TableModel, theme: Theme, w: number, height: number, now: number, empty: string): TableDraw {
  const ids = model.ids();
  const bodyHeight = Math.max(0, height - 1);
  const win = model.window(bodyHeight);
  const rows = win.ids.map((id) => model.get(id)!);
  const { natural, empty: blank } = naturalWidths(model, rows, now);
  const sized = layoutColumns(model.columns, natural, Math.max(10, w - 2), blank);
  const lines: string[] = [headerLine(model, sized, theme)];
  const selected = model.selectedId;
  for (const r of rows) lines.push(rowLine(model, r, sized, theme, now, r.id === selected, w));
  if (ids.length === 0) {
    lines.push('');
    for (const l of wrap(empty, w - 3)) lines.push(` ${theme.fg('dim', safe(l))}`);
  }
  while (lines.length < height) lines.push('');
  return { lines: lines.slice(0, height), first: win.first, count: ids.length };
}

function naturalWidths(model: TableModel, visible: readonly Row[], now: number): { natural: number[]; empty: boolean[] } {
  const cached = model.columnWidths();
  const natural = model.columns.map((c, i) => Math.max(width(c.title) + 1, cached.natural[i] ?? 0));
  const empty = [...cached.empty];
  for (const r of visible) {
    r.cells.forEach((c, i) => {
      if (c.live && i < natural.length) {
        natural[i] = Math.max(natural[i]!, width(c.live(now)));
        empty[i] = false;
      }
    });
  }
  return { natural, empty };
}

function headerLine(model: TableModel, sized: Sized[], theme: Theme): string {
  const parts = sized.map(({ col, width: wd }) => {
    const c = model.columns[col]!;
    const arrow = col === model.sortCol ? (model.sortAsc ? theme.glyphs.up : theme.glyphs.down) : '';
    const text = fit(c.title + arrow, wd, c.align);
    return col === model.sortCol ? theme.fg('accent', text) : text;
  });
  return `  ${theme.bold(theme.fg('title', parts.join(' '.repeat(GAP))))}`;
}

function rowLine(model: TableModel, r: Row, sized: Sized[], theme: Theme, now: number, selected: boolean, w: number): string {
  const marks = model.marksOf(r.id, now);
  const flagged = model.marked.has(r.id);
  const cells = sized.map(({ col, width: wd }) => {
    const c = r.cells[col];
    const raw = c?.live ? c.live(now) : (c?.text ?? '');
    const text = safe(fit(raw, wd, model.columns[col]!.align));
    if (selected) return text;
    if (marks && (marks.added || marks.cols.has(col))) return theme.bold(theme.fg(marks.added ? 'added' : 'changed', text));
    if (r.invalid) return theme.fg('err', text);
    return c?.role ? theme.fg(c.role, text) : text;
  });
  const lead = flagged ? theme.fg('accent', theme.glyphs.mark) : ' ';
  const body = cells.join(' '.repeat(GAP));
  if (!selected) return `${lead} ${body}`;
  const pad = ' '.repeat(Math.max(0, w - 2 - sized.reduce((n, s) => n + s.width, 0) - GAP * (sized.length - 1)));
  return `${lead}${theme.bar('selBg', theme.bold(` ${body}${pad}`), 'selFg')}`;
}
