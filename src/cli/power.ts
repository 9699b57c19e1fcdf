/** `metalbox power SERVER status|on|off|cycle|soft|pxe|disk`. */
import type { Command } from 'commander';
import { describePowerResult, POWER_ACTIONS, type PowerActionArgs, type PowerActionResult } from '../power/index.js';
import { withCli, type GlobalOptions } from './context.js';

export { powerCommand } from '../power/index.js';

export interface PowerCliIo {
  out: (line: string) => void;
}

export function registerPower(program: Command, io: PowerCliIo = { out: (l) => process.stdout.write(`${l}\n`) }): Command {
  return program
    .command('power')
    .description('read or drive a server\'s power through its BMC (IPMI, Redfish), Wake-on-LAN, QEMU or the operator')
    .argument('<server>', 'server name (its UUID)')
    .argument('<action>', `${POWER_ACTIONS.join(' | ')}; pxe and disk set the next boot, then power on (or cycle if on)`)
    .option('-o, --output <format>', 'text or json', 'text')
    .addHelpText('after', '\nExamples:\n  metalbox power 4c4c4544-0035-5910-8057-b3c04f4b4d32 status\n  metalbox power 4c4c4544-0035-5910-8057-b3c04f4b4d32 pxe')
    .action(async (server: string, action: string, opts: { output: string }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const result = await withCli(globals, (ctx) => ctx.call<PowerActionResult>('power.action', { server, action } satisfies PowerActionArgs));
      io.out(opts.output === 'json' ? JSON.stringify(result, null, 2) : describePowerResult(result));
    });
}
