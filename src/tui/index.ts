/**
 * The console (k9s-style terminal UI over the running appliance). Other rooms import only from here.
 */
import type { App } from '../app.js';
import { errorMessage } from '../util/errors.js';
import { Console, type ConsoleOptions } from './console.js';

export { Console, type ConsoleOptions } from './console.js';
export { chooseTerminal } from './terminal.js';

/**
 * Run the console on this terminal until the operator quits (or SIGTERM/SIGINT/SIGHUP): the services are
 * stopped, the terminal restored, and only then does this resolve. Nothing is printed over the screen:
 * stray output and warnings go to console.log in the data directory.
 */
export async function runConsole(app: App, opts: Partial<ConsoleOptions> = {}): Promise<void> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    throw new Error('the console needs a terminal; run `metalbox serve` for the appliance without one');
  }
  const c = new Console({ app, captureOutput: true, ...opts });
  const onSignal = (sig: NodeJS.Signals) => void c.quit(`received ${sig}`).catch(() => undefined);
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  const onCrash = (e: unknown) => {
    // Restore the terminal first, then say what happened, then stop the services.
    c.abandon();
    process.stderr.write(`metalbox: the console crashed: ${e instanceof Error ? (e.stack ?? e.message) : errorMessage(e)}\n`);
    void app.stop('the console crashed').finally(() => process.exit(1));
  };
  process.on('uncaughtException', onCrash);
  try {
    await c.closed;
  } finally {
    for (const s of signals) process.off(s, onSignal);
    process.off('uncaughtException', onCrash);
  }
  if (c.stopError) throw c.stopError;
}
