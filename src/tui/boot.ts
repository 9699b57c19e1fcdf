/**
 * The first frame, before the appliance has loaded: blessed and the logo only, so the operator sees
 * Metalbox within a moment of typing `metalbox` even where loading the state and the services' code takes
 * seconds (a Raspberry Pi, a state file with a thousand servers). The console takes the same terminal over.
 */
import { Theme } from './theme.js';
import { Term, type Panel } from './vendor.js';

const LOGO = ['┌┬┐┌─┐┌┬┐┌─┐┬  ┌┐ ┌─┐─┐ ┬', '│││├┤  │ ├─┤│  ├┴┐│ │┌┴┬┘', '┴ ┴└─┘ ┴ ┴ ┴┴─┘└─┘└─┘┴ └─'];

export interface BootScreen {
  term: Term;
  /** Say what is being done now (`loading the state`). */
  say(line: string): void;
  /** Take the boot frame away (the console is about to paint). */
  close(): void;
}

export function bootScreen(opts: { term?: string; env?: NodeJS.ProcessEnv; log: (line: string) => void }): BootScreen {
  const env = opts.env ?? process.env;
  const term = new Term({ ...(opts.term ? { term: opts.term } : {}), env, log: opts.log });
  const theme = new Theme(term.colors, term.terminal);
  const panel: Panel = term.panel();
  let status = 'starting';
  const draw = () => {
    const w = term.width;
    const h = term.height;
    const logo = term.terminal.startsWith('linux') ? ['m e t a l b o x'] : LOGO;
    const top = Math.max(0, Math.floor(h / 2) - logo.length);
    const pad = (s: string) => ' '.repeat(Math.max(0, Math.floor((w - [...s].length) / 2)));
    const lines = [...Array.from({ length: top }, () => ''), ...logo.map((l) => pad(l) + theme.fg('accent', l)), '', pad(status) + theme.fg('dim', status)];
    panel.place({ top: 0, left: 0, width: w, height: h });
    panel.setContent(lines.join('\n'));
    term.render();
  };
  term.onResize(draw);
  // While loading, ctrl-c still gets the operator out (the terminal is in raw mode: no SIGINT).
  const offKey = term.onKey((k) => {
    if (k.name !== 'C-c') return;
    term.destroy();
    process.stderr.write('metalbox: stopped while starting\n');
    process.exit(130);
  });
  draw();
  return {
    term,
    say(line) {
      status = line;
      draw();
    },
    close() {
      offKey();
      panel.hide();
    },
  };
}
