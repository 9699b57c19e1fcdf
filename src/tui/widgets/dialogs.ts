/**
 * Modal popups behind one small API (lazygit's popup handler): confirm, prompt, menu and form. They hold
 * the keyboard while open; what the operator typed stays in them until it is accepted or they cancel, so
 * an error never costs a retype.
 */
import type { KeyEvent } from '../vendor.js';
import type { Theme } from '../theme.js';
import { LineEditor } from '../model/line.js';
import { fit, safe, truncate, width as textWidth, wrap } from '../text.js';

export interface ModalFrame {
  title: string;
  lines: string[];
  width: number;
}

interface Modal {
  frame(theme: Theme, maxWidth: number): ModalFrame;
  key(k: KeyEvent): void | Promise<void>;
}

export interface MenuItem<T> {
  key?: string;
  label: string;
  value: T;
  disabled?: string;
}

export interface FormField {
  name: string;
  label: string;
  initial?: string;
  hint?: string;
  complete?: (text: string) => string[];
}

export class Dialogs {
  private readonly stack: Modal[] = [];

  constructor(private readonly changed: () => void) {}

  get active(): boolean {
    return this.stack.length > 0;
  }

  /** The top dialog, at least as wide as its title. */
  top(theme: Theme, maxWidth: number): ModalFrame | undefined {
    const f = this.stack.at(-1)?.frame(theme, maxWidth);
    if (f) f.width = Math.min(maxWidth, Math.max(f.width, textWidth(f.title) + 8));
    return f;
  }

  async key(k: KeyEvent): Promise<void> {
    await this.stack.at(-1)?.key(k);
    this.changed();
  }

  confirm(title: string, lines: string[], danger = false): Promise<boolean> {
    return new Promise((resolve) => {
      const m: Modal = {
        frame: (t, max) => {
          const wd = Math.min(max, Math.max(36, ...lines.map((l) => textWidth(l) + 4)));
          const body = lines.flatMap((l) => wrap(l, wd - 4)).map((l) => ` ${safe(l)}`);
          const yes = danger ? t.fg('err', t.bold('y')) : t.fg('accent', t.bold('y'));
          return { title, width: wd, lines: [...body, '', ` ${yes} yes   ${t.fg('accent', t.bold('n'))} no ${t.fg('dim', '(esc)')}`] };
        },
        key: (k) => {
          if (k.name === 'y' || k.name === 'Y') this.close(m, () => resolve(true));
          else if (k.name === 'n' || k.name === 'N' || k.name === 'escape' || k.name === 'q') this.close(m, () => resolve(false));
        },
      };
      this.open(m);
    });
  }

  /**
   * Ask for a line. `accept` returns an error to show (the prompt stays open with the text) or undefined to
   * close.
   */
  prompt(title: string, opts: { initial?: string; label?: string; complete?: (t: string) => string[]; accept: (text: string) => Promise<string | undefined> }): Promise<void> {
    const ed = new LineEditor(opts.initial ?? '', opts.complete);
    let error = '';
    return new Promise((resolve) => {
      const m: Modal = {
        frame: (t, max) => {
          const wd = Math.min(max, 72);
          const lines = [` ${safe(opts.label ?? '')}`, ` ${drawEditor(ed, t, wd - 3)}`];
          if (error) lines.push(...wrap(error, wd - 4).map((l) => ` ${t.fg('err', safe(l))}`));
          lines.push(` ${t.fg('dim', 'enter accept · esc cancel · tab complete')}`);
          return { title, width: wd, lines };
        },
        key: async (k) => {
          if (k.name === 'escape') return this.close(m, resolve);
          if (k.name === 'enter') {
            error = (await opts.accept(ed.text)) ?? '';
            if (!error) this.close(m, resolve);
            return;
          }
          ed.key(k);
        },
      };
      this.open(m);
    });
  }

  menu<T>(title: string, items: MenuItem<T>[], note?: string): Promise<T | undefined> {
    let at = Math.max(0, items.findIndex((i) => !i.disabled));
    let why = '';
    return new Promise((resolve) => {
      const m: Modal = {
        frame: (t, max) => {
          const wd = Math.min(max, Math.max(30, ...items.map((i) => textWidth(i.label) + 12)));
          const lines = items.map((i, n) => {
            const key = i.key ? t.fg('accent', `<${i.key}>`) + ' ' : '    ';
            const label = fit(i.label, wd - 10);
            if (n === at) return ` ${t.bar('selBg', ` ${i.key ? `<${i.key}> ` : '    '}${safe(label)}`, 'selFg')}`;
            return `  ${key}${i.disabled ? t.fg('dim', safe(label)) : safe(label)}`;
          });
          if (note) lines.unshift(...wrap(note, wd - 4).map((l) => ` ${t.fg('dim', safe(l))}`), '');
          if (why) lines.push('', ...wrap(why, wd - 4).map((l) => ` ${t.fg('warn', safe(l))}`));
          return { title, width: wd, lines };
        },
        key: (k) => {
          const pick = (n: number) => {
            const it = items[n];
            if (!it) return;
            if (it.disabled) why = `${it.label}: ${it.disabled}`;
            else this.close(m, () => resolve(it.value));
          };
          if (k.name === 'escape' || k.name === 'q') return this.close(m, () => resolve(undefined));
          if (k.name === 'down' || k.name === 'j') at = Math.min(items.length - 1, at + 1);
          else if (k.name === 'up' || k.name === 'k') at = Math.max(0, at - 1);
          else if (k.name === 'enter') pick(at);
          else {
            const n = items.findIndex((i) => i.key === k.name);
            if (n >= 0) pick(n);
          }
        },
      };
      this.open(m);
    });
  }

  /**
   * A short form. `submit` returns an error (the form stays open with every value) or undefined (closes).
   */
  form(title: string, fields: FormField[], submit: (values: Record<string, string>) => Promise<string | undefined>): Promise<boolean> {
    const eds = fields.map((f) => new LineEditor(f.initial ?? '', f.complete));
    let at = 0;
    // A field still holding its default has it selected when entered: typing replaces it, as in any form.
    const enter = (n: number) => {
      eds[at]!.selected = false;
      at = n;
      if (eds[n]!.text === (fields[n]!.initial ?? '')) eds[n]!.selectAll();
    };
    enter(0);
    let error = '';
    return new Promise((resolve) => {
      const m: Modal = {
        frame: (t, max) => {
          const wd = Math.min(max, 76);
          const labelW = Math.min(22, Math.max(...fields.map((f) => textWidth(f.label))) + 1);
          const lines: string[] = [];
          fields.forEach((f, n) => {
            const label = n === at ? t.fg('accent', safe(fit(f.label, labelW))) : safe(fit(f.label, labelW));
            const value = n === at ? drawEditor(eds[n]!, t, wd - labelW - 5) : safe(truncate(eds[n]!.text, wd - labelW - 5));
            lines.push(` ${label} ${value}`);
            if (n === at && f.hint) lines.push(` ${' '.repeat(labelW)} ${t.fg('dim', safe(truncate(f.hint, wd - labelW - 5)))}`);
          });
          if (error) lines.push('', ...wrap(error, wd - 4).map((l) => ` ${t.fg('err', safe(l))}`));
          lines.push('', ` ${t.fg('dim', 'tab/↓ next · ↑ back · typing replaces a default · enter ok · esc cancel')}`);
          return { title, width: wd, lines };
        },
        key: async (k) => {
          if (k.name === 'escape') return this.close(m, () => resolve(false));
          if (k.name === 'down' || (k.name === 'tab' && !eds[at]!.suggestion())) enter((at + 1) % fields.length);
          else if (k.name === 'up' || k.name === 'S-tab') enter((at + fields.length - 1) % fields.length);
          else if (k.name === 'enter') {
            const values = Object.fromEntries(fields.map((f, n) => [f.name, eds[n]!.text.trim()]));
            error = (await submit(values)) ?? '';
            if (!error) this.close(m, () => resolve(true));
          } else eds[at]!.key(k);
        },
      };
      this.open(m);
    });
  }

  private open(m: Modal): void {
    this.stack.push(m);
    this.changed();
  }

  private close(m: Modal, then: () => void): void {
    const i = this.stack.indexOf(m);
    if (i >= 0) this.stack.splice(i, 1);
    then();
    this.changed();
  }
}

/** A line editor drawn with a block cursor and the completion suggestion greyed after it. */
export function drawEditor(ed: LineEditor, t: Theme, cols: number): string {
  const { before, at, after } = ed.parts();
  if (ed.selected) return `{inverse}${safe(truncate(ed.text, cols - 1))}{/inverse}`;
  const sugg = ed.suggestion();
  const shownBefore = textWidth(before) > cols - 2 ? `…${[...before].slice(-(cols - 3)).join('')}` : before;
  const room = Math.max(0, cols - textWidth(shownBefore) - 1);
  if (sugg) {
    // At the end with a completion: the cursor sits on its first character.
    const [first, ...rest] = [...sugg];
    return `${safe(shownBefore)}{inverse}${safe(first!)}{/inverse}${t.fg('dim', safe(truncate(rest.join(''), room)))}`;
  }
  return `${safe(shownBefore)}{inverse}${safe(at)}{/inverse}${safe(truncate(after, room))}`;
}
