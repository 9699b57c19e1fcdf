/** Moving around a table: the same keys in every list. */
import type { Action } from '../keys.js';
import type { TableModel } from '../model/table.js';
import type { ConsoleContext } from './view.js';

const PAGE = 10;

export function navigationActions(model: TableModel, ctx: ConsoleContext): Action[] {
  const nav = (key: string, label: string, run: () => void, also?: string[]): Action => ({
    key,
    label,
    section: 'navigation',
    ...(also ? { also } : {}),
    run: () => {
      run();
      ctx.invalidate();
    },
  });
  return [
    nav('j', 'down', () => model.move(1), ['down']),
    nav('k', 'up', () => model.move(-1), ['up']),
    nav('g', 'first', () => model.moveTo(0), ['home']),
    nav('G', 'last', () => model.moveTo(-1), ['end']),
    nav('C-f', 'page down', () => model.move(PAGE), ['pagedown']),
    nav('C-b', 'page up', () => model.move(-PAGE), ['pageup']),
    nav('space', 'mark / unmark the row (actions apply to all marked rows)', () => {
      model.toggleMark();
      model.move(1);
    }),
    nav('C-space', 'clear all marks', () => model.marked.clear(), ['C-@', 'C-`']),
    {
      key: 's',
      label: 'sort',
      help: 'sort by the next column (the sorted column is arrowed)',
      section: 'navigation',
      run: () => {
        model.sortBy((model.sortCol + 1) % model.columns.length);
        ctx.flash.info(`sorted by ${model.columns[model.sortCol]!.title.toLowerCase()}`);
      },
    },
    nav('S', 'reverse the sort order', () => model.sortBy(model.sortCol)),
  ];
}
