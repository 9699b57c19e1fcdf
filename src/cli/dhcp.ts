import type { Command } from 'commander';
import { offModeInstructions } from '../dhcp/index.js';
import { resolveProvisioning } from '../netboot.js';
import { settingsFor, type GlobalOptions } from './context.js';

/** `metalbox dhcp-config`: the lines for your own DHCP server when Metalbox's DHCP is off. */
export function registerDhcpConfig(program: Command): void {
  program
    .command('dhcp-config')
    .description('print the lines for dnsmasq, ISC dhcpd or a router that point machines at Metalbox (for dhcp.mode off)')
    .action(async (_o: unknown, cmd: Command) => {
      const { settings } = await settingsFor(cmd.optsWithGlobals<GlobalOptions>());
      const p = resolveProvisioning(settings);
      if (!p.address) throw new Error(`cannot tell this box's address: ${p.problem ?? 'unknown'}; set address: in metalbox.yaml`);
      process.stdout.write(`${offModeInstructions({ address: p.address, httpPort: settings.http.port, network: p.choice?.chosen.network ?? p.address })}\n`);
    });
}
