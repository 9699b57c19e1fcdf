import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { MetalboxError } from '../util/errors.js';
import { withCli, type GlobalOptions } from './context.js';

const globals = (cmd: Command) => cmd.optsWithGlobals<GlobalOptions>();
const print = (t: string): void => void process.stdout.write(t.endsWith('\n') ? t : `${t}\n`);

function countAndClass(text: string, what: string): { count: number; serverClass: string } {
  const m = /^(\d+)(?:@([\w.-]+))?$/.exec(text);
  if (!m) throw new MetalboxError('USAGE', `${what}: expected COUNT or COUNT@CLASS (e.g. 3@cp), got "${text}"`);
  return { count: Number(m[1]), serverClass: m[2] ?? 'any' };
}

/** Write a credential to a file (mode 0600) or print it. */
function emit(text: string, file: string | undefined): void {
  if (!file) {
    print(text);
    return;
  }
  writeFileSync(file, text, { mode: 0o600 });
  process.stderr.write(`wrote ${file}\n`);
}

export function registerClusters(program: Command): void {
  const cluster = program.command('cluster').description('create, scale and delete clusters (Cluster API objects made for you)');
  cluster
    .command('create <name> <endpoint>')
    .description('create a cluster as clusterctl would with Sidero\'s template; ENDPOINT is the control plane address (VIP or first node)')
    .option('--control-planes <n[@class]>', 'control plane count and server class', '1@any')
    .option('--workers <n[@class]>', 'worker count and server class', '0@any')
    .option('--talos-version <vX.Y>', 'Talos version contract of the configs')
    .option('--kubernetes-version <vX.Y.Z>', 'Kubernetes version')
    .option('--install-disk <disk>', 'install disk patched into every machine config ("" for none)', '/dev/sda')
    .option('-n, --namespace <ns>', 'namespace', 'default')
    .action(async (name: string, endpoint: string, o: { controlPlanes: string; workers: string; talosVersion?: string; kubernetesVersion?: string; installDisk: string; namespace: string }, cmd: Command) => {
      const form = {
        name,
        endpoint,
        namespace: o.namespace,
        controlPlanes: countAndClass(o.controlPlanes, '--control-planes'),
        workers: countAndClass(o.workers, '--workers'),
        installDisk: o.installDisk,
        ...(o.talosVersion ? { talosVersion: o.talosVersion } : {}),
        ...(o.kubernetesVersion ? { kubernetesVersion: o.kubernetesVersion } : {}),
      };
      const r = await withCli(globals(cmd), (ctx) => ctx.call<{ created: string[] }>('clusters.create', form));
      for (const c of r.created) print(`${c} created`);
    });
  cluster
    .command('scale <name>')
    .description('set the number of control plane or worker machines')
    .option('--control-planes <n>', 'control plane replicas')
    .option('--workers <n>', 'worker replicas')
    .option('-n, --namespace <ns>', 'namespace', 'default')
    .action(async (name: string, o: { controlPlanes?: string; workers?: string; namespace: string }, cmd: Command) => {
      if (o.controlPlanes === undefined && o.workers === undefined) throw new MetalboxError('USAGE', 'give --control-planes N and/or --workers N');
      await withCli(globals(cmd), async (ctx) => {
        for (const [role, v] of [['controlplane', o.controlPlanes], ['worker', o.workers]] as const) {
          if (v === undefined) continue;
          const r = await ctx.call<{ object: string; replicas: number }>('clusters.scale', { name, namespace: o.namespace, role, replicas: Number(v) });
          print(`${r.object} scaled to ${r.replicas}`);
        }
      });
    });
  cluster
    .command('delete <name>')
    .description('delete a cluster with its machines, releasing their servers')
    .option('-n, --namespace <ns>', 'namespace', 'default')
    .action(async (name: string, o: { namespace: string }, cmd: Command) => {
      const r = await withCli(globals(cmd), (ctx) => ctx.call<{ machines: number; servers: string[] }>('clusters.delete', { name, namespace: o.namespace }));
      print(`cluster ${name} deleted with ${r.machines} machines; ${r.servers.length} servers released`);
    });

  for (const [verb, op, what] of [
    ['talosconfig', 'clusters.talosconfig', 'a talosconfig (admin, os:admin) for talosctl'],
    ['kubeconfig', 'clusters.kubeconfig', 'an admin kubeconfig (system:masters) for kubectl'],
  ] as const) {
    program
      .command(`${verb} <cluster>`)
      .description(`print ${what}, made offline from the cluster's secrets`)
      .option('-o, --output <file>', 'write to this file (mode 0600) instead of standard output')
      .option('-n, --namespace <ns>', 'namespace', 'default')
      .action(async (name: string, o: { output?: string; namespace: string }, cmd: Command) => {
        emit(await withCli(globals(cmd), (ctx) => ctx.call<string>(op, { name, namespace: o.namespace })), o.output);
      });
  }
}
