/**
 * A scrollable page of text (YAML, help, a rendered config): only the visible lines are drawn; `follow`
 * keeps the end in view as lines arrive (a live log), until the operator scrolls up.
 */
import type { Action } from '../keys.js';
import { safe, truncate } from '../text.js';
import type { Area, ConsoleContext, View } from './view.js';

export interface TextSource {
  /** Plain lines (made safe when drawn) or tagged ones. */
  lines(): string[];
  tagged?: boolean;
}

export class TextPager {
  offset = 0;
  follow = false;
  private lastHeight = 10;
  private lastCount = 0;

  constructor(private readonly source: TextSource) {}

  draw(area: Area): string[] {
    const all = this.source.lines();
    this.lastHeight = area.height;
    this.lastCount = all.length;
    const max = Math.max(0, all.length - area.height);
    if (this.follow) this.offset = max;
    this.offset = Math.max(0, Math.min(this.offset, max));
    const shown = all.slice(this.offset, this.offset + area.height);
    return shown.map((l) => (this.source.tagged ? l : ` ${safe(truncate(l.replace(/\t/g, '  '), area.width - 2))}`));
  }

  /** `12-40/300` for a title. */
  position(): string {
    if (this.lastCount <= this.lastHeight) return '';
    return `${this.offset + 1}-${Math.min(this.lastCount, this.offset + this.lastHeight)}/${this.lastCount}`;
  }

  scroll(delta: number): void {
    this.offset = Math.max(0, this.offset + delta);
    const max = Math.max(0, this.lastCount - this.lastHeight);
    this.offset = Math.min(this.offset, max);
    this.follow = this.offset >= max && delta > 0 ? this.follow : false;
  }

  actions(ctx: ConsoleContext): Action[] {
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
      nav('j', 'scroll down', () => this.scroll(1), ['down']),
      nav('k', 'scroll up', () => this.scroll(-1), ['up']),
      nav('C-f', 'page down', () => this.scroll(this.lastHeight - 1), ['pagedown', 'space']),
      nav('C-b', 'page up', () => this.scroll(-(this.lastHeight - 1)), ['pageup']),
      nav('g', 'top', () => this.scroll(-Infinity), ['home']),
      nav('G', 'bottom', () => this.scroll(Infinity), ['end']),
    ];
  }
}

/** A page showing text, with the keys to scroll it. */
export function showText(ctx: ConsoleContext, crumb: string, text: () => string, extra: Action[] = []): View {
  const pager = new TextPager({ lines: () => text().replace(/\n$/, '').split('\n') });
  return {
    crumb,
    title: () => ` ${ctx.theme.bold(safe(crumb))} ${ctx.theme.fg('dim', pager.position())} `,
    actions: () => [...extra, ...pager.actions(ctx)],
    sync: () => undefined,
    draw: (area) => pager.draw(area),
  };
}
