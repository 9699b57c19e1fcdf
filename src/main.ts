import 'reflect-metadata';
import { Command } from 'commander';
import { settingsSchema, settingsTemplate } from './config/index.js';
import { registerResources } from './cli/resources.js';
import { registerPower } from './cli/power.js';
import { registerClusters } from './cli/clusters.js';
import { registerServers } from './cli/servers.js';
import { registerGen } from './cli/gen.js';
import { registerAssets } from './cli/assets.js';
import { registerServe, startApp, untilSignal } from './cli/serve.js';
import { runConsole } from './tui/index.js';
import { registerDemo } from './cli/demo.js';
import { settingsFor, type GlobalOptions } from './cli/context.js';
import { errorMessage, isMetalboxError } from './util/errors.js';
import { VERSION } from './version.js';

/** The command line: argument parsing only; every command's work is in cli/ and ops/. */
export function buildProgram(): Command {
  const program = new Command('metalbox')
    .description('Bring bare metal up as Talos Linux Kubernetes clusters from one box.')
    .option('--data-dir <dir>', 'data directory (default: $METALBOX_DATA_DIR, /var/lib/metalbox as root, else ~/.local/share/metalbox)')
    .option('--config <file>', 'settings file (default: metalbox.yaml in the data directory)')
    .option('--set <key=value...>', 'override a setting, e.g. --set dhcp.mode=full')
    .showHelpAfterError('(run with --help for usage)')
    .action(async (_o: unknown, cmd: Command) => {
      const app = await startApp(cmd.optsWithGlobals<GlobalOptions>());
      if (!process.stdout.isTTY || !process.stdin.isTTY) {
        await app.start();
        process.stderr.write('metalbox: no terminal for the console; running headless (see `metalbox serve`). Ctrl-C stops.\n');
        return untilSignal(app);
      }
      // First paint before the services start: the header shows them coming up.
      const console = runConsole(app);
      await app.start();
      await console;
    });

  program.command('version').description('print the Metalbox version').action(() => console.log(VERSION));

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

  registerServe(program);
  registerDemo(program);
  registerResources(program);
  registerPower(program);
  registerServers(program);
  registerClusters(program);
  registerGen(program);
  registerAssets(program);
  return program;
}

/** Entry point used by bin/metalbox.js. */
export async function run(argv: string[]): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') return;
    if (typeof code === 'string' && code.startsWith('commander.')) {
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`error: ${errorMessage(e)}\n`);
    process.exitCode = isMetalboxError(e) && e.code === 'USAGE' ? 2 : 1;
  }
}
