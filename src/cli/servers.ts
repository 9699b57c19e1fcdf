import type { Command } from 'commander';
import { withCli, type GlobalOptions } from './context.js';

const globals = (cmd: Command) => cmd.optsWithGlobals<GlobalOptions>();

/** Operator verbs on servers: the same operations the console's keys run. */
export function registerServers(program: Command): void {
  const verbs: [string, string, string][] = [
    ['accept', 'servers.accept', 'accept a discovered server so it can be allocated'],
    ['cordon', 'servers.cordon', 'keep a server out of every server class'],
    ['uncordon', 'servers.uncordon', 'let a cordoned server be allocated again'],
  ];
  for (const [verb, op, description] of verbs) {
    program
      .command(`${verb} <server...>`)
      .description(description)
      .action(async (names: string[], _o: unknown, cmd: Command) => {
        await withCli(globals(cmd), async (ctx) => {
          for (const name of names) {
            await ctx.call(op, { name });
            process.stdout.write(`server/${name} ${verb}ed\n`);
          }
        });
      });
  }
  program
    .command('label <server> <labels...>')
    .description('set (k=v) or remove (k-) labels on a server')
    .action(async (name: string, labels: string[], _o: unknown, cmd: Command) => {
      const set: Record<string, string> = {};
      const remove: string[] = [];
      for (const l of labels) {
        if (l.endsWith('-')) remove.push(l.slice(0, -1));
        else {
          const i = l.indexOf('=');
          if (i < 1) throw new Error(`"${l}": expected key=value or key-`);
          set[l.slice(0, i)] = l.slice(i + 1);
        }
      }
      await withCli(globals(cmd), (ctx) => ctx.call('servers.label', { name, set, remove }));
      process.stdout.write(`server/${name} labeled\n`);
    });
  program
    .command('assign <server>')
    .description('put a server into a server class (--class) or reserve it for a cluster (--cluster, --role)')
    .option('--class <name>', 'server class whose selector labels the server gets')
    .option('--cluster <name>', 'cluster the server is reserved for')
    .option('--role <role>', 'controlplane or worker (with --cluster)', 'worker')
    .action(async (name: string, o: { class?: string; cluster?: string; role: string }, cmd: Command) => {
      await withCli(globals(cmd), async (ctx) => {
        if (o.class) await ctx.call('servers.assignClass', { name, class: o.class });
        if (o.cluster) await ctx.call('servers.assignCluster', { name, cluster: o.cluster, role: o.role });
        if (!o.class && !o.cluster) throw new Error('give --class NAME or --cluster NAME');
      });
      process.stdout.write(`server/${name} assigned\n`);
    });
}
