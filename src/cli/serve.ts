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

/** Stop cleanly on SIGINT/SIGTERM; resolves when stopped. */
export function untilSignal(app: App): Promise<void> {
  return new Promise((resolve) => {
    const stop = (sig: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      void app.stop(`received ${sig}`).then(resolve);
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the appliance headless, with the event log on standard output')
    .action(async (_o: unknown, cmd: Command) => {
      const app = await startApp(cmd.optsWithGlobals<GlobalOptions>());
      app.events.subscribe((r) => {
        const level = severityOf(r.event).toUpperCase().padEnd(5);
        process.stdout.write(`${r.time} ${level} ${formatEvent(r.event)}\n`);
      });
      await app.start();
      await untilSignal(app);
    });
}
