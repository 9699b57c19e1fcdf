import type { Command } from 'commander';
import { buildApp, type App } from '../app.js';
import { loadSettings, resolveDataDir } from '../config/index.js';
import { formatEvent, severityOf } from '../events/index.js';
import { ensureDataDir } from '../store/index.js';
import type { GlobalOptions } from './context.js';

/** Load settings (writing the commented defaults on first start) and build the appliance. */
export async function startApp(g: GlobalOptions): Promise<App> {
  const dataDir = resolveDataDir(g.dataDir);
  await ensureDataDir(dataDir);
  const loaded = await loadSettings({ dataDir, ...(g.config ? { configFile: g.config } : {}), overrides: g.set ?? [], writeDefaults: true });
  const app = await buildApp({ dataDir, settings: loaded.settings, firstStart: loaded.firstStart });
  return app;
}

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Stop cleanly on SIGINT, SIGTERM or SIGHUP (the session that started it ended: stopping with the lock
 * released and the state flushed beats being killed); resolves when stopped.
 */
export function untilSignal(app: App, also?: (stop: (why: string) => void) => void): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (why: string) => {
      if (stopping) return;
      stopping = true;
      for (const s of STOP_SIGNALS) process.off(s, onSignal);
      void app.stop(why).then(resolve);
    };
    const onSignal = (sig: NodeJS.Signals) => stop(`received ${sig}`);
    for (const s of STOP_SIGNALS) process.on(s, onSignal);
    also?.(stop);
  });
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the appliance headless, with the event log on standard output')
    .action(async (_o: unknown, cmd: Command) => {
      const app = await startApp(cmd.optsWithGlobals<GlobalOptions>());
      // A closed standard output (`metalbox serve | head`, the terminal gone) stops the appliance cleanly,
      // as a pipeline's writer ends when its reader does; it never becomes an uncaught error.
      let out = true;
      let onOutGone: ((why: string) => void) | undefined;
      process.stdout.on('error', (e: NodeJS.ErrnoException) => {
        out = false;
        onOutGone?.(`standard output closed (${e.code ?? e.message})`);
      });
      process.stderr.on('error', () => undefined);
      app.events.subscribe((r) => {
        if (!out) return;
        const level = severityOf(r.event).toUpperCase().padEnd(5);
        process.stdout.write(`${r.time} ${level} ${formatEvent(r.event)}\n`);
      });
      // Signals are heard from before the start: a stop during the start waits for the service being
      // started, then stops everything cleanly.
      const stopped = untilSignal(app, (stop) => (onOutGone = stop));
      await app.start();
      await stopped;
    });
}
