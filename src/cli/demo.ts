/**
 * `metalbox demo [--servers N]`: Metalbox in a temporary data directory on unprivileged loopback ports,
 * with a rack of simulated servers that boot from it over real DHCP, TFTP and HTTP, shown in the console.
 */
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { startDemo } from '../demo/index.js';
import { formatEvent } from '../events/index.js';
import { runConsole } from '../tui/index.js';
import { MetalboxError } from '../util/errors.js';

function count(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 2000) throw new MetalboxError('USAGE', `--servers takes a whole number from 0 to 2000, not "${text}"`);
  return n;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('try Metalbox with a simulated rack: virtual servers boot from it over loopback (no hardware, no root)')
    .option('--servers <n>', 'how many simulated servers', '6')
    .option('--speed <x>', 'run the simulated machines faster (their waits divided by x)', '1')
    .option('--keep', 'keep the temporary data directory afterwards')
    .action(async (o: { servers: string; speed: string; keep?: boolean }) => {
      const servers = count(o.servers);
      const speed = Number(o.speed) > 0 ? Number(o.speed) : 1;
      let logFile: ReturnType<typeof createWriteStream> | undefined;
      const demo = await startDemo({ servers, speed, keep: !!o.keep, log: (l) => logFile?.write(`${new Date().toISOString()} ${l}\n`) });
      logFile = createWriteStream(join(demo.dataDir, 'demo.log'), { flags: 'a', mode: 0o600 });
      const tty = process.stdout.isTTY && process.stdin.isTTY;
      try {
        if (tty) {
          // The console paints at once; the rack comes up behind it (its failures show in the header).
          await runConsole(demo.app, { stop: (reason) => demo.stop(reason) });
        } else {
          await demo.ready;
          await headless(demo);
        }
      } finally {
        await demo.stop();
        logFile.end();
      }
      process.stdout.write(`metalbox demo: stopped; ${o.keep ? `the data directory is kept in ${demo.dataDir}` : 'its temporary data directory was removed'}.\n`);
    });
}

/** Without a terminal: the event log on standard output until Ctrl-C. */
function headless(demo: Awaited<ReturnType<typeof startDemo>>): Promise<void> {
  const off = demo.app.events.subscribe((r) => process.stdout.write(`${r.time} ${formatEvent(r.event)}\n`));
  return new Promise((resolve) => {
    const stop = () => {
      off();
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
