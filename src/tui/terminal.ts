/**
 * Which terminal description blessed should use. blessed 0.1.81 reads only the legacy terminfo format
 * (magic 0x011a); Debian 12's xterm-256color, screen-256color and tmux-256color use ncurses 6's extended
 * number format (0x021e), which blessed either fails on (and drops to 8-colour `xterm`) or half-parses and
 * then prints compile errors over the screen. So: a TERM whose entry is in the legacy format is used as is;
 * any other 256-colour TERM uses blessed's bundled xterm-256color; anything else falls back to `xterm`.
 */
import { openSync, readSync, closeSync } from 'node:fs';
import { join } from 'node:path';

export const LEGACY_TERMINFO_MAGIC = 0x011a;
export const EXTENDED_TERMINFO_MAGIC = 0x021e;

/** Terminal names blessed ships its own description for (node_modules/blessed/usr). */
const BUNDLED = new Set(['xterm', 'xterm-256color', 'linux']);

export interface TerminalChoice {
  /** The name to give blessed. */
  terminal: string;
  /** Why, for the console log. */
  why: string;
}

/** The directories ncurses searches, in its order. */
export function terminfoDirs(env: NodeJS.ProcessEnv): string[] {
  return [
    env.TERMINFO ?? '',
    ...(env.TERMINFO_DIRS ?? '').split(':'),
    env.HOME ? join(env.HOME, '.terminfo') : '',
    '/etc/terminfo',
    '/lib/terminfo',
    '/usr/share/terminfo',
    '/usr/lib/terminfo',
    '/usr/local/share/terminfo',
  ].filter((d) => d !== '');
}

/** The magic number of a terminal's compiled entry, or undefined when there is none. */
export function terminfoMagic(term: string, dirs: string[], read: (path: string) => Buffer | undefined = readHead): number | undefined {
  if (!term || term.includes('/') || term.includes('\0')) return undefined;
  const first = term[0]!;
  for (const dir of dirs) {
    for (const sub of [first, first.charCodeAt(0).toString(16).padStart(2, '0')]) {
      const head = read(join(dir, sub, term));
      if (head && head.length >= 2) return head.readUInt16LE(0);
    }
  }
  return undefined;
}

function readHead(path: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(2);
    return readSync(fd, buf, 0, 2, 0) === 2 ? buf : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function chooseTerminal(term: string | undefined, env: NodeJS.ProcessEnv = process.env, magic = terminfoMagic): TerminalChoice {
  const name = (term ?? '').trim() || 'xterm';
  const found = magic(name, terminfoDirs(env));
  if (found === LEGACY_TERMINFO_MAGIC) return { terminal: name, why: `TERM=${name}` };
  const many = /256col|direct|truecolor|24bit/.test(name) || env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit';
  const reason = found === undefined ? 'has no terminfo entry' : 'uses the ncurses 6 extended terminfo format blessed cannot read';
  if (BUNDLED.has(name) && found === undefined) return { terminal: name, why: `TERM=${name} (bundled description)` };
  if (many) return { terminal: 'xterm-256color', why: `TERM=${name} ${reason}; using the bundled xterm-256color` };
  if (name.startsWith('linux')) return { terminal: 'linux', why: `TERM=${name} ${reason}; using the bundled linux` };
  return { terminal: 'xterm', why: `TERM=${name} ${reason}; using the bundled xterm` };
}
