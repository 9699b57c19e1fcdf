/**
 * The console (k9s-style terminal UI over the running appliance). Other rooms import only from here. This
 * module is light on purpose: `metalbox` paints its boot frame before the appliance's code is loaded, and
 * the console itself is loaded when it takes over.
 */
import type { App } from '../app.js';
import { errorMessage } from '../util/errors.js';
import { bootScreen } from './boot.js';
import type { Console, ConsoleOptions } from './console.js';

export type { ConsoleOptions } from './console.js';
export { chooseTerminal } from './terminal.js';

export interface ConsoleStart {
  /** Say what is loading on the boot frame. */
  say(line: string): void;
  /** Hand the terminal to the console for this appliance; resolves when the operator has quit. */
  run(app: App, opts?: Partial<ConsoleOptions>): Promise<void>;
  /** Give the terminal back without a console (the appliance could not start). */
  abort(): void;
}

/** Paint the boot frame now; the console follows with run(app). Needs a terminal. */
export function startConsole(): ConsoleStart {
  needTerminal();
  const early: string[] = [];
  const boot = bootScreen({ log: (l) => early.push(l) });
  // The console's code loads while the appliance reads its state (the file reads leave the thread idle).
  const consoleCode = import('./console.js');
  consoleCode.catch(() => undefined); // a failure is thrown again by run()
  return {
    say: (line) => boot.say(line),
    run: async (app, opts = {}) => {
      const { Console } = await consoleCode;
      boot.close();
      return drive(app, (o) => new Console({ ...o, terminal: boot.term }), { ...opts, earlyLog: early });
    },
    abort: () => boot.term.destroy(),
  };
}

/**
 * Run the console on this terminal until the operator quits (or SIGTERM/SIGINT/SIGHUP): the services are
 * stopped, the terminal restored, and only then does this resolve. Nothing is printed over the screen:
 * stray output and warnings go to console.log in the data directory.
 */
export async function runConsole(app: App, opts: Partial<ConsoleOptions> = {}): Promise<void> {
  needTerminal();
  const { Console } = await import('./console.js');
  return drive(app, (o) => new Console(o), opts);
}

function needTerminal(): void {
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    throw new Error('the console needs a terminal; run `metalbox serve` for the appliance without one');
  }
}

async function drive(app: App, make: (o: ConsoleOptions) => Console, opts: Partial<ConsoleOptions> & { earlyLog?: string[] }): Promise<void> {
  const { earlyLog, ...rest } = opts;
  const c = make({ app, captureOutput: true, ...rest });
  for (const l of earlyLog ?? []) c.ctx.log(l);
  const quit = (why: string) => void c.quit(why).catch((e: unknown) => c.ctx.log(`quitting failed: ${errorMessage(e)}`));
  const onSignal = (sig: NodeJS.Signals) => quit(`received ${sig}`);
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  // stderr is the same terminal: once it is gone, a write to it must not become an uncaught error (left
  // in place after the console closes, for the last words of the command).
  process.stderr.on('error', () => undefined);
  const offLost = c.term.onLost((why) => {
    c.ctx.log(`${why}: stopping`);
    quit(why);
  });
  let crashed = false;
  const onCrash = (e: unknown) => {
    const text = `metalbox: the console crashed: ${e instanceof Error ? (e.stack ?? e.message) : errorMessage(e)}`;
    if (crashed) return c.ctx.log(`after the crash: ${text}`);
    crashed = true;
    c.ctx.log(text);
    // Restore the terminal first, then say what happened (if there still is a terminal), then stop.
    c.abandon();
    if (!c.term.gone) process.stderr.write(`${text}\n`);
    void app.stop('the console crashed').finally(() => process.exit(1));
  };
  process.on('uncaughtException', onCrash);
  try {
    await c.closed;
  } finally {
    for (const s of signals) process.off(s, onSignal);
    process.off('uncaughtException', onCrash);
    offLost();
  }
  if (c.stopError) throw c.stopError;
}
