import type { Command } from 'commander';
import { resolveKind, resourcesToJson, resourcesToYaml, resourceToYaml, type Resource } from '../api/index.js';
import { formatEvent, type EventRecord } from '../events/index.js';
import type { ApplyResult } from '../ops/resources.js';
import { MetalboxError } from '../util/errors.js';
import { withCli, type GlobalOptions } from './context.js';
import { loadManifests } from './input.js';
import { resourceTable } from './table.js';

type Out = (text: string) => void;
const print: Out = (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`);
const globals = (cmd: Command) => cmd.optsWithGlobals<GlobalOptions>();

async function applyFiles(g: GlobalOptions, files: string[]): Promise<void> {
  if (!files.length) throw new MetalboxError('USAGE', 'apply needs -f FILE|DIR|- (one or more)');
  const { resources, warnings } = loadManifests(files);
  for (const w of warnings) process.stderr.write(`Warning: ${w}\n`);
  const results = await withCli(g, (ctx) => ctx.call<ApplyResult[]>('resources.apply', { resources }));
  for (const r of results) {
    print(`${resolveKind(r.kind).singular}/${r.name} ${r.action}`);
    for (const w of r.warnings ?? []) process.stderr.write(`Warning: ${w}\n`);
  }
}

function printResources(items: Resource[], kindText: string, o: { output?: string; allNamespaces?: boolean; single: boolean }): void {
  const info = resolveKind(kindText);
  switch (o.output ?? '') {
    case 'yaml':
      return print(o.single ? resourceToYaml(items[0]!) : resourcesToYaml(items));
    case 'json':
      return print(resourcesToJson(items, o.single));
    case 'name':
      return print(items.map((r) => `${info.singular}/${r.metadata.name}`).join('\n'));
    case '':
    case 'wide':
      if (items.length === 0) return void process.stderr.write(`No resources found${info.namespaced && !o.allNamespaces ? ' in the namespace' : ''}.\n`);
      return print(resourceTable(info, items, { wide: o.output === 'wide', showNamespace: !!o.allNamespaces && info.namespaced }));
    default:
      throw new MetalboxError('USAGE', `unknown output format "${o.output}"; use yaml, json, wide or name`);
  }
}

export function registerResources(program: Command): void {
  for (const name of ['apply', 'import']) {
    program
      .command(name)
      .description(name === 'apply' ? 'create or update resources from YAML manifests, as kubectl apply does' : 'import resources exported from Metalbox or Sidero (same as apply)')
      .option('-f, --filename <path...>', 'manifest file, folder of manifests, or - for standard input')
      .action(async (opts: { filename?: string[] }, cmd: Command) => applyFiles(globals(cmd), opts.filename ?? []));
  }

  program
    .command('get <kind> [name]')
    .description('list resources of a kind (servers, serverclasses, environments, clusters, machines, …) or show one')
    .option('-o, --output <format>', 'yaml | json | wide | name')
    .option('-l, --selector <selector>', 'label selector, e.g. rack=r1,role!=cp')
    .option('-n, --namespace <ns>', 'namespace of namespaced kinds', 'default')
    .option('-A, --all-namespaces', 'all namespaces')
    .option('--show-secrets', 'show BMC passwords and Secret data instead of <redacted>')
    .action(async (kind: string, name: string | undefined, o: { output?: string; selector?: string; namespace: string; allNamespaces?: boolean; showSecrets?: boolean }, cmd: Command) => {
      resolveKind(kind);
      const items = await withCli(globals(cmd), (ctx) =>
        ctx.call<Resource[]>('resources.get', { kind, name, namespace: o.namespace, allNamespaces: o.allNamespaces, selector: o.selector, showSecrets: o.showSecrets }),
      );
      printResources(items, kind, { ...o, single: !!name });
    });

  program
    .command('describe <kind> <name>')
    .description('show one resource in full, with its recent events')
    .option('-n, --namespace <ns>', 'namespace of namespaced kinds', 'default')
    .action(async (kind: string, name: string, o: { namespace: string }, cmd: Command) => {
      const { items, events } = await withCli(globals(cmd), async (ctx) => ({
        items: await ctx.call<Resource[]>('resources.get', { kind, name, namespace: o.namespace }),
        events: await ctx.call<EventRecord[]>('events.recent', { server: name }),
      }));
      print(resourceToYaml(items[0]!));
      print(events.length ? `Events:\n${events.map((e) => `  ${e.time}  ${formatEvent(e.event)}`).join('\n')}` : 'Events: <none>');
    });

  program
    .command('delete <kind> <name>')
    .description('delete a resource (objects with finalizers go once their controller lets them)')
    .option('-n, --namespace <ns>', 'namespace of namespaced kinds', 'default')
    .action(async (kind: string, name: string, o: { namespace: string }, cmd: Command) => {
      const r = await withCli(globals(cmd), (ctx) => ctx.call<{ deleted: string; pending: boolean }>('resources.delete', { kind, name, namespace: o.namespace }));
      print(`${r.deleted} ${r.pending ? 'marked for deletion (waiting for finalizers)' : 'deleted'}`);
    });

  program
    .command('export')
    .description('write every resource as one YAML stream that kubectl apply accepts on a Sidero management cluster')
    .option('--show-secrets', 'include BMC passwords and Secret data (otherwise <redacted>)')
    .action(async (o: { showSecrets?: boolean }, cmd: Command) => {
      print(await withCli(globals(cmd), (ctx) => ctx.call<string>('resources.export', { showSecrets: o.showSecrets })));
    });
}
