/**
 * The only file that imports blessed. Everything else in the console talks to the small surface below:
 * a terminal with panels that take tagged text, normalised key presses, resize, suspend (for $EDITOR) and a
 * plain-text snapshot of what is on screen (for tests and benchmarks). blessed is unmaintained (last commit
 * 2016), so this seam is where a fork would be swapped in.
 */
import blessed from 'blessed';
import { chooseTerminal } from './terminal.js';

export interface KeyEvent {
  /** `j`, `A`, `?`, `space`, `enter`, `escape`, `up`, `C-d`, `S-tab`, `backspace`, ... */
  name: string;
  /** The printable character, when there is one. */
  ch?: string;
}

export interface Place {
  top: number;
  left: number;
  width: number;
  height: number;
}

export interface PanelStyle {
  fg?: string;
  bg?: string;
  border?: string;
}

/** A rectangle of tagged text (`{bold}`, `{#7aa2f7-fg}`, ...), optionally framed with a label. */
export interface Panel {
  setContent(text: string): void;
  setLabel(text: string): void;
  place(p: Place): void;
  style(s: PanelStyle): void;
  show(): void;
  hide(): void;
  front(): void;
  readonly visible: boolean;
}

export interface TermOptions {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** `$TERM`; the choice of description is in terminal.ts. */
  term?: string;
  env?: NodeJS.ProcessEnv;
  /** Where blessed's own complaints go (never the screen). */
  log: (line: string) => void;
}

type BlessedKey = { name?: string; full?: string; ctrl?: boolean; meta?: boolean; shift?: boolean; sequence?: string };

/** Display width of a string in terminal columns, as blessed will draw it (wide characters count 2). */
export function strWidth(text: string): number {
  return unicode.strWidth(text);
}

/** blessed.unicode is missing from @types/blessed. */
const unicode = (blessed as unknown as { unicode: { strWidth(text: string): number } }).unicode;

/** Make text safe inside tagged content: braces become blessed's escape tags. */
export function escapeTags(text: string): string {
  return blessed.escape(text);
}

/** The key name the console's action tables use. */
export function normaliseKey(ch: string | undefined, key: BlessedKey | undefined): KeyEvent | undefined {
  const name = key?.name;
  if (name === 'return') return undefined; // blessed follows every \r with an `enter`
  if (name === 'enter' || name === 'linefeed') return { name: 'enter' };
  if (ch && ch.length >= 1 && !key?.ctrl && !key?.meta && ch >= ' ' && ch !== '\x7f' && name !== 'space') return { name: ch, ch };
  if (name === 'space') return { name: 'space', ch: ' ' };
  const full = key?.full ?? name;
  return full ? { name: full } : undefined;
}

/**
 * blessed reads ESC followed by a key in the same read as Alt+key. The console binds no Alt keys, and
 * esc typed quickly before another key (or sent by tmux in one write) must stay two keys.
 */
export function splitMeta(ch: string | undefined, key: BlessedKey | undefined): KeyEvent[] {
  if (key?.meta && !key.ctrl) {
    if (key.name === 'escape') return [{ name: 'escape' }, { name: 'escape' }];
    // blessed names ESC+G as M-S-g: the key itself is the letter (upper case with shift) or digit.
    if (key.name && /^[a-z0-9]$/i.test(key.name)) {
      const c = key.shift ? key.name.toUpperCase() : key.name;
      return [{ name: 'escape' }, { name: c, ch: c }];
    }
    const rest = normaliseKey(ch, { ...key, meta: false, full: key.name ?? ch ?? '' });
    if (rest) return [{ name: 'escape' }, rest];
  }
  const k = normaliseKey(ch, key);
  return k ? [k] : [];
}

export class Term {
  private readonly screen: blessed.Widgets.Screen;
  readonly terminal: string;
  private destroyed = false;
  private lostReason: string | undefined;
  private readonly lostListeners = new Set<(reason: string) => void>();

  constructor(opts: TermOptions) {
    const env = opts.env ?? process.env;
    const choice = chooseTerminal(opts.term ?? env.TERM, env);
    opts.log(`terminal: ${choice.why}`);
    // Unicode box drawing instead of VT100 line-drawing letters: right on serial consoles and in tmux.
    if (env.NCURSES_NO_UTF8_ACS === undefined) process.env.NCURSES_NO_UTF8_ACS = '1';
    let terminal = choice.terminal;
    this.screen = quietly(opts.log, () => {
      try {
        return makeScreen(opts, terminal);
      } catch (e) {
        // Terminfo that parses but does not compile (the Setulc entries of some distributions).
        opts.log(`terminal ${terminal} failed (${(e as Error).message}); using xterm`);
        terminal = 'xterm';
        return makeScreen(opts, terminal);
      }
    });
    this.terminal = terminal;
    // A terminal that goes away (the ssh session dropped, the tmux pane killed) fails writes with EIO and
    // ends input. That is not a crash: blessed's writes stop (its output is no longer writable) and the
    // console is told once, to stop the appliance quietly.
    const output = (opts.output ?? process.stdout) as NodeJS.WritableStream & { on(e: 'error', f: (e: Error) => void): unknown };
    const input = (opts.input ?? process.stdin) as NodeJS.ReadableStream;
    output.on('error', (e: Error) => this.lost(`the terminal failed (${(e as NodeJS.ErrnoException).code ?? e.message})`));
    input.on('error', (e: Error) => this.lost(`the terminal failed (${(e as NodeJS.ErrnoException).code ?? e.message})`));
    input.on('end', () => this.lost('the terminal closed'));
  }

  /** Why the terminal is gone, once it is. */
  get gone(): string | undefined {
    return this.lostReason;
  }

  /** Call fn once if the terminal goes away (immediately if it already has). */
  onLost(fn: (reason: string) => void): () => void {
    if (this.lostReason) {
      fn(this.lostReason);
      return () => undefined;
    }
    this.lostListeners.add(fn);
    return () => void this.lostListeners.delete(fn);
  }

  /** The terminal is gone: nothing is drawn any more, and whoever listens is told once. */
  lost(reason: string): void {
    if (this.lostReason) return;
    this.lostReason = reason;
    for (const fn of [...this.lostListeners]) fn(reason);
    this.lostListeners.clear();
  }

  get width(): number {
    return this.screen.width as number;
  }

  get height(): number {
    return this.screen.height as number;
  }

  /** Colours the terminal supports (8, 16, 256). */
  get colors(): number {
    return (this.screen.tput as unknown as { colors: number }).colors; // untyped in @types/blessed
  }

  panel(opts: { border?: boolean } = {}): Panel {
    const box = blessed.box({
      parent: this.screen,
      top: 0,
      left: 0,
      width: 1,
      height: 1,
      tags: true,
      wrap: false,
      ...(opts.border ? { border: { type: 'line' as const } } : {}),
    });
    return new BoxPanel(box);
  }

  /** Listen to keys; returns the way to stop listening. */
  onKey(fn: (k: KeyEvent) => void): () => void {
    const listener = (ch: string | undefined, key: BlessedKey | undefined) => {
      for (const k of splitMeta(ch, key)) fn(k);
    };
    this.screen.on('keypress', listener);
    return () => void this.screen.removeListener('keypress', listener);
  }

  onResize(fn: () => void): void {
    this.screen.on('resize', fn);
  }

  render(): void {
    if (!this.destroyed && !this.lostReason) this.screen.render();
  }

  /**
   * Hand the terminal to another program (the operator's editor): leave the alternate screen, cooked mode,
   * stop reading keys; afterwards take it back and repaint everything.
   */
  async suspend<T>(run: () => Promise<T>): Promise<T> {
    const resume = this.screen.program.pause();
    try {
      return await run();
    } finally {
      resume();
      this.screen.alloc();
      this.screen.render();
    }
  }

  /** The screen as plain text, one string per row; a wide character is followed by nothing. */
  snapshot(): string[] {
    const rows = (this.screen as unknown as { lines: [unknown, string][][] }).lines; // blessed's cell buffer
    return rows.map((row) => row.map((cell) => (cell[1] === '\x03' ? '' : cell[1])).join('').replace(/\s+$/, ''));
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.screen.destroy();
  }
}

class BoxPanel implements Panel {
  constructor(private readonly box: blessed.Widgets.BoxElement) {}

  setContent(text: string): void {
    this.box.setContent(text);
  }

  setLabel(text: string): void {
    if (text) this.box.setLabel({ text, side: 'left' });
    else this.box.removeLabel();
  }

  place(p: Place): void {
    this.box.top = p.top;
    this.box.left = p.left;
    this.box.width = Math.max(1, p.width);
    this.box.height = Math.max(1, p.height);
  }

  style(s: PanelStyle): void {
    const st = this.box.style as { fg?: string; bg?: string; border?: { fg?: string }; label?: { fg?: string } };
    if (s.fg !== undefined) st.fg = s.fg;
    if (s.bg !== undefined) st.bg = s.bg;
    if (s.border !== undefined) st.border = { ...(st.border ?? {}), fg: s.border };
  }

  show(): void {
    this.box.show();
  }

  hide(): void {
    this.box.hide();
  }

  front(): void {
    this.box.setFront();
  }

  get visible(): boolean {
    return this.box.visible;
  }
}

function makeScreen(opts: TermOptions, terminal: string): blessed.Widgets.Screen {
  const screen = blessed.screen({
    // @types/blessed has input and output swapped (Writable input, Readable output).
    ...((opts.input ? { input: opts.input } : {}) as object),
    ...((opts.output ? { output: opts.output } : {}) as object),
    terminal,
    fullUnicode: true,
    smartCSR: true,
    autoPadding: false,
    warnings: false,
    dockBorders: false,
    title: 'Metalbox',
  });
  // Force the capability compile now, while console output is captured.
  screen.render();
  return screen;
}

/** Run fn with console output diverted to the log: blessed prints terminfo errors with console.error. */
function quietly<T>(log: (line: string) => void, fn: () => T): T {
  const saved = { error: console.error, log: console.log, warn: console.warn };
  const sink = (...a: unknown[]) => log(a.map(String).join(' '));
  console.error = sink;
  console.log = sink;
  console.warn = sink;
  try {
    return fn();
  } finally {
    Object.assign(console, saved);
  }
}
