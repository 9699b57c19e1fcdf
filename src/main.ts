import 'reflect-metadata';
import { Command } from 'commander';
import type { GlobalOptions } from './cli/context.js';
import { errorMessage, isMetalboxError } from './util/errors.js';
import { VERSION } from './version.js';

type Register = (program: Command) => unknown;

/**
 * Commands by name, each loaded only when used: `metalbox get servers` does not pay for the console, the
 * Talos library or the BMC clients.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  serve: async () => (await import('./cli/serve.js')).registerServe,
  demo: async () => (await import('./cli/demo.js')).registerDemo,
  settings: async () => (await import('./cli/settings.js')).registerSettings,
  'dhcp-config': async () => (await import('./cli/dhcp.js')).registerDhcpConfig,
  power: async () => (await import('./cli/power.js')).registerPower,
  gen: async () => (await import('./cli/gen.js')).registerGen,
  assets: async () => (await import('./cli/assets.js')).registerAssets,
};
for (const c of ['replace', 'edit']) COMMANDS[c] = async () => (await import('./cli/edit.js')).registerEdit;
for (const c of ['apply', 'import', 'get', 'describe', 'delete', 'export']) COMMANDS[c] = async () => (await import('./cli/resources.js')).registerResources;
for (const c of ['accept', 'cordon', 'uncordon', 'label', 'assign']) COMMANDS[c] = async () => (await import('./cli/servers.js')).registerServers;
for (const c of ['cluster', 'talosconfig', 'kubeconfig']) COMMANDS[c] = async () => (await import('./cli/clusters.js')).registerClusters;

/** Global options and whether they take values (`--set` takes several, as commander parses it). */
const GLOBAL_VALUES: Record<string, 'one' | 'many'> = { '--data-dir': 'one', '--config': 'one', '--set': 'many' };

/** The subcommand named on the command line, if any (global options may come first). */
export function commandOf(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const takes = GLOBAL_VALUES[a];
    if (takes === 'one') i++;
    else if (takes === 'many') while (i + 1 < argv.length && !argv[i + 1]!.startsWith('-')) i++;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

/** The command line: argument parsing only; every command's work is in cli/ and ops/. */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('metalbox')
    .description('Bring bare metal up as Talos Linux Kubernetes clusters from one box.')
    .option('--data-dir <dir>', 'data directory (default: $METALBOX_DATA_DIR, /var/lib/metalbox as root, else ~/.local/share/metalbox)')
    .option('--config <file>', 'settings file (default: metalbox.yaml in the data directory)')
    .option('--set <key=value...>', 'override a setting, e.g. --set dhcp.mode=full')
    .showHelpAfterError('(run with --help for usage)')
    .helpCommand('help [command]', 'show help for a command')
    .action(async (_o: unknown, cmd: Command) => {
      if (!process.stdout.isTTY || !process.stdin.isTTY) {
        const { startApp, untilSignal } = await import('./cli/serve.js');
        const app = await startApp(cmd.optsWithGlobals<GlobalOptions>());
        const stopped = untilSignal(app);
        await app.start();
        process.stderr.write('metalbox: no terminal for the console; running headless (see `metalbox serve`). Ctrl-C stops.\n');
        return stopped;
      }
      // The boot frame paints before the appliance's code and state load; the console then takes over and
      // paints before the services start (the header shows them coming up).
      const { startConsole } = await import('./tui/index.js');
      const ui = startConsole();
      let app;
      try {
        ui.say('loading the state');
        const { startApp } = await import('./cli/serve.js');
        app = await startApp(cmd.optsWithGlobals<GlobalOptions>());
      } catch (e) {
        ui.abort();
        throw e;
      }
      const console = ui.run(app);
      await app.start();
      await console;
    });
  program.command('version').description('print the Metalbox version').action(() => console.log(VERSION));

  const named = commandOf(argv);
  const asksHelp = argv.some((a) => a === '-h' || a === '--help') || named === 'help';
  const wanted = named && COMMANDS[named] ? [COMMANDS[named]] : asksHelp ? Object.values(COMMANDS) : [];
  const registers = new Set(await Promise.all(wanted.map((load) => load())));
  for (const register of registers) register(program);
  return program;
}

/** Entry point used by bin/metalbox.js. */
export async function run(argv: string[]): Promise<void> {
  const named = commandOf(argv);
  if (named && !COMMANDS[named] && !['version', 'help'].includes(named)) {
    const near = Object.keys(COMMANDS).filter((c) => c.startsWith(named.slice(0, 2)));
    process.stderr.write(`error: unknown command "${named}"${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}; metalbox --help lists them\n`);
    process.exitCode = 2;
    return;
  }
  const program = await buildProgram(argv);
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
