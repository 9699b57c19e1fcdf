/**
 * The console's screen layout: header, the `:`/`/` prompt, the framed view, crumbs, the flash line and a
 * dialog on top. It lays them out for the terminal's size on every frame (so a resize is just a frame).
 */
import type { FlashMessage } from './model/flash.js';
import type { PromptLine } from './prompt.js';
import { safe, truncate } from './text.js';
import type { Theme } from './theme.js';
import type { Panel, Term } from './vendor.js';
import type { View } from './views/view.js';
import { drawEditor, type ModalFrame } from './widgets/dialogs.js';

export interface Frame {
  view: View;
  stack: readonly View[];
  /** The header's lines for a given width and height. */
  header: (cols: number, rows: number) => string[];
  prompt: PromptLine | undefined;
  flash: FlashMessage | undefined;
  dialog: (maxWidth: number) => ModalFrame | undefined;
  now: number;
}

export class Chrome {
  private readonly header: Panel;
  private readonly prompt: Panel;
  private readonly main: Panel;
  private readonly crumbs: Panel;
  private readonly flash: Panel;
  private readonly dialog: Panel;

  constructor(
    private readonly term: Term,
    private readonly theme: Theme,
  ) {
    const p = theme.palette;
    this.header = term.panel();
    this.prompt = term.panel({ border: true });
    this.main = term.panel({ border: true });
    this.crumbs = term.panel();
    this.flash = term.panel();
    this.dialog = term.panel({ border: true });
    this.main.style({ border: p.border });
    this.prompt.style({ border: p.accent });
    this.dialog.style({ border: p.accent });
    this.prompt.hide();
    this.dialog.hide();
  }

  draw(f: Frame): void {
    const W = this.term.width;
    const H = this.term.height;
    // A short terminal gives up the header first; the list stays.
    const headerRows = H >= 30 ? 6 : H >= 18 ? 5 : 0;
    const promptRows = f.prompt ? 3 : 0;
    const mainTop = headerRows + promptRows;
    const mainH = Math.max(3, H - mainTop - 2);
    if (headerRows) {
      this.header.show();
      this.header.place({ top: 0, left: 0, width: W, height: headerRows });
      this.header.setContent(f.header(W, headerRows).join('\n'));
    } else this.header.hide();
    this.drawPrompt(f.prompt, headerRows, W);
    this.main.place({ top: mainTop, left: 0, width: W, height: mainH });
    this.main.setLabel(f.view.title());
    this.main.setContent(f.view.draw({ width: W - 2, height: mainH - 2 }, f.now).join('\n'));
    this.drawFooter(f, mainTop + mainH, W);
    this.drawDialog(f.dialog(Math.max(20, W - 4)), W, H);
    this.term.render();
  }

  private drawPrompt(p: PromptLine | undefined, top: number, W: number): void {
    if (!p) return this.prompt.hide();
    const t = this.theme;
    this.prompt.show();
    this.prompt.place({ top, left: 0, width: W, height: 3 });
    const sign = p.kind === 'command' ? ':' : '/';
    const err = p.error ? `  ${t.fg('err', safe(truncate(p.error, Math.max(10, W - 40))))}` : '';
    const room = Math.max(10, W - 6 - (err ? Math.min(W - 40, p.error.length + 2) : 0));
    this.prompt.setContent(` ${t.fg('accent', t.bold(sign))}${drawEditor(p.editor, t, room)}${err}`);
  }

  private drawFooter(f: Frame, top: number, W: number): void {
    const t = this.theme;
    const last = f.stack.length - 1;
    this.crumbs.place({ top, left: 0, width: W, height: 1 });
    this.crumbs.setContent(f.stack.map((v, i) => (i === last ? t.bar('accent', ` ${safe(v.crumb)} `, 'selFg') : t.bar('border', ` ${safe(v.crumb)} `, 'text'))).join(' '));
    this.flash.place({ top: top + 1, left: 0, width: W, height: 1 });
    const m = f.flash;
    const role = m?.level === 'error' ? 'err' : m?.level === 'warn' ? 'warn' : 'info';
    this.flash.setContent(m ? ` ${t.fg(role, safe(truncate(m.text, W - 2)))}` : '');
  }

  private drawDialog(frame: ModalFrame | undefined, W: number, H: number): void {
    if (!frame) return this.dialog.hide();
    const h = Math.min(H - 2, frame.lines.length + 2);
    this.dialog.show();
    this.dialog.front();
    this.dialog.place({ top: Math.max(0, Math.floor((H - h) / 2)), left: Math.max(0, Math.floor((W - frame.width) / 2)), width: frame.width, height: h });
    this.dialog.setLabel(` ${this.theme.bold(safe(frame.title))} `);
    this.dialog.setContent(frame.lines.join('\n'));
  }
}
