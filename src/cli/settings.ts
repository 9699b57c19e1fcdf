import type { Command } from 'commander';
import { settingsSchema, settingsTemplate } from '../config/index.js';
import { settingsFor, type GlobalOptions } from './context.js';

export function registerSettings(program: Command): void {
  program
    .command('settings')
    .description('print the effective settings (file, environment and --set merged), or the commented defaults')
    .option('--defaults', 'print the commented default metalbox.yaml')
    .action(async (o: { defaults?: boolean }, cmd: Command) => {
      if (o.defaults) return void process.stdout.write(settingsTemplate(settingsSchema));
      const { dataDir, settings } = await settingsFor(cmd.optsWithGlobals<GlobalOptions>());
      console.log(`# data directory: ${dataDir}`);
      console.log(JSON.stringify(settings, null, 2));
    });
}
