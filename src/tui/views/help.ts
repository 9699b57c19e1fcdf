/** `?`: every key of the view under it, by section, with the reason for each one that is disabled now. */
import { help, type Action, type Section } from '../keys.js';
import { fit, safe, truncate } from '../text.js';
import { TextPager } from './text-page.js';
import type { ConsoleContext, View } from './view.js';

const TITLES: Record<Section, string> = { view: 'This view', general: 'General', navigation: 'Moving around' };

export function helpView(ctx: ConsoleContext, under: string, actions: Action[]): View {
  const t = ctx.theme;
  let width = 80;
  const lines = (): string[] => {
    const out: string[] = [];
    let section: Section | undefined;
    for (const h of help(actions)) {
      if (h.section !== section) {
        if (section) out.push('');
        section = h.section;
        out.push(` ${t.bold(t.fg('title', TITLES[section]))}`);
      }
      const key = t.fg(h.disabled ? 'muted' : 'accent', safe(fit(h.key, 16)));
      const text = safe(truncate(h.text, Math.max(10, width - 22)));
      out.push(`   ${key} ${h.disabled ? t.fg('muted', text) : text}`);
      if (h.disabled) out.push(`   ${' '.repeat(16)} ${t.fg('warn', safe(truncate(`not now: ${h.disabled}`, Math.max(10, width - 22))))}`);
    }
    out.push('', ` ${t.fg('dim', 'Filters: /text (a regular expression), /!text inverts, /-l key=value matches labels.')}`);
    out.push(` ${t.fg('dim', 'Views: :servers :classes :clusters :machines :environments :events :setup; :q quits.')}`);
    return out;
  };
  const pager = new TextPager({ tagged: true, lines });
  return {
    crumb: 'help',
    title: () => ` ${t.bold('help')} ${t.fg('dim', safe(under))} `,
    actions: () => pager.actions(ctx),
    sync: () => undefined,
    draw: (area) => {
      width = area.width;
      return pager.draw(area);
    },
  };
}
