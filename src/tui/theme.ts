/**
 * Colours by meaning, never by widget: one calm 256-colour palette and one for 8/16-colour terminals (the
 * Linux console), where blessed would fold the soft greys into black.
 */
export type Role =
  | 'text'
  | 'dim'
  | 'accent'
  | 'title'
  | 'border'
  | 'ok'
  | 'warn'
  | 'err'
  | 'info'
  | 'busy'
  | 'muted'
  | 'changed'
  | 'added'
  | 'selBg'
  | 'selFg'
  | 'barBg';

export type Palette = Record<Role, string>;

const RICH: Palette = {
  text: '#c0caf5',
  dim: '#737aa2',
  accent: '#7aa2f7',
  title: '#e0e6ff',
  border: '#3b4261',
  ok: '#9ece6a',
  warn: '#e0af68',
  err: '#f7768e',
  info: '#7dcfff',
  busy: '#bb9af7',
  muted: '#565f89',
  changed: '#ff9e64',
  added: '#73daca',
  selBg: '#2e3c64',
  selFg: '#ffffff',
  barBg: '#1f2335',
};

const BASIC: Palette = {
  text: 'white',
  dim: 'white',
  accent: 'cyan',
  title: 'white',
  border: 'blue',
  ok: 'green',
  warn: 'yellow',
  err: 'red',
  info: 'cyan',
  busy: 'magenta',
  muted: 'white',
  changed: 'yellow',
  added: 'cyan',
  selBg: 'blue',
  selFg: 'white',
  barBg: 'black',
};

export interface Glyphs {
  up: string;
  down: string;
  mark: string;
  running: string;
  starting: string;
  failed: string;
  off: string;
  spark: string;
  rule: string;
  sep: string;
}

const UNICODE_GLYPHS: Glyphs = { up: '↑', down: '↓', mark: '▌', running: '●', starting: '◌', failed: '✗', off: '○', spark: '▁▂▃▄▅▆▇█', rule: '─', sep: '·' };
/** The Linux console's font has box drawing but few other symbols. */
const CONSOLE_GLYPHS: Glyphs = { up: '^', down: 'v', mark: '*', running: '*', starting: '~', failed: 'x', off: 'o', spark: '.:-=+*#@', rule: '─', sep: '|' };

export class Theme {
  readonly palette: Palette;
  readonly glyphs: Glyphs;

  constructor(colors: number, terminal = 'xterm-256color') {
    this.palette = colors >= 256 ? RICH : BASIC;
    this.glyphs = terminal.startsWith('linux') ? CONSOLE_GLYPHS : UNICODE_GLYPHS;
  }

  /** Text in a role's colour; `text` must already be safe (see text.ts). */
  fg(role: Role, text: string): string {
    const c = this.palette[role];
    return `{${c}-fg}${text}{/${c}-fg}`;
  }

  bold(text: string): string {
    return `{bold}${text}{/bold}`;
  }

  /** A key hint: `<a>` in the accent colour. */
  key(k: string): string {
    return this.fg('accent', `<${k}>`);
  }

  /** A whole line on a background. */
  bar(role: Role, text: string, fgRole: Role = 'text'): string {
    const bg = this.palette[role];
    const fg = this.palette[fgRole];
    return `{${bg}-bg}{${fg}-fg}${text}{/${fg}-fg}{/${bg}-bg}`;
  }
}
