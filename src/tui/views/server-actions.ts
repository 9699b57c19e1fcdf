/**
 * What the operator can do to servers, shared by the servers list (on the marked rows, or the selected
 * one) and a server's page. Every action is an operation; each says why when it cannot run.
 */
import { redact, resourceToYaml, type Server, type ServerClass, type Cluster } from '../../api/index.js';
import { driverNameOf } from '../../power/index.js';
import { errorMessage } from '../../util/errors.js';
import type { Action } from '../keys.js';
import { editPatches, editResource } from './edit-targets.js';
import { showText } from './text-page.js';
import type { ConsoleContext } from './view.js';

const short = (name: string) => (name.length > 13 ? `${name.slice(0, 12)}…` : name);

function names(list: Server[]): string {
  if (list.length === 1) return `server ${short(list[0]!.metadata.name)}`;
  return `${list.length} servers`;
}

/** Run one operation per server; one flash line for the lot. */
async function each(ctx: ConsoleContext, list: Server[], op: string, args: (s: Server) => object, did: string): Promise<void> {
  let ok = 0;
  for (const s of list) {
    const r = await ctx.op(op, { name: s.metadata.name, ...args(s) });
    if (r !== undefined) ok++;
  }
  if (ok === list.length) ctx.flash.info(`${did} ${names(list)}`);
}

const POWER_ITEMS = [
  { key: 'o', label: 'power on', value: 'on' },
  { key: 'f', label: 'power off', value: 'off' },
  { key: 'c', label: 'power cycle', value: 'cycle' },
  { key: 'p', label: 'boot from the network (PXE) now', value: 'pxe' },
  { key: 'd', label: 'boot from disk now', value: 'disk' },
  { key: 's', label: 'read the power state', value: 'status' },
] as const;

function powerDisabled(s: Server, action: string): string | undefined {
  let driver: string;
  try {
    driver = driverNameOf(s);
  } catch (e) {
    return (e as Error).message;
  }
  if (driver === 'none') return 'no BMC: set spec.bmc (edit with e) or the metalbox.dev/power-driver annotation';
  if (driver === 'wol' && action !== 'on') return 'Wake-on-LAN can only power on';
  return undefined;
}

export interface ServerActionOptions {
  open?: (s: Server) => void;
  /** How many of the targets the filter hides (for the delete question). */
  hidden?: (list: Server[]) => number;
  /** The row under the cursor: open, edit and YAML act on it even when rows are marked. */
  selected?: () => Server | undefined;
}

export function serverActions(ctx: ConsoleContext, targets: () => Server[], opts: ServerActionOptions = {}): Action[] {
  const none = () => (targets().length === 0 ? 'no server selected' : undefined);
  const all = (pred: (s: Server) => boolean, why: string) => () => none() ?? (targets().every(pred) ? why : undefined);
  const current = () => opts.selected?.() ?? targets()[0];
  const one = () => (current() ? undefined : 'no server selected');
  const open: Action[] = opts.open ? [{ key: 'enter', label: 'open', help: 'open the server: hardware, power, boot timeline, kernel log, Talos config', disabled: one, run: () => opts.open!(current()!) }] : [];
  return [
    ...open,
    ...stateActions(ctx, targets, all),
    { key: 'l', label: 'label', help: 'set labels (k=v) or remove them (k-)', disabled: none, run: () => labelServers(ctx, targets()) },
    { key: 'C', label: 'class', help: 'put the server(s) into a server class', disabled: none, run: () => assignClass(ctx, targets()) },
    { key: 'K', label: 'cluster', help: 'reserve the server(s) for a cluster, as control plane or worker', disabled: none, run: () => assignCluster(ctx, targets()) },
    { key: 'p', label: 'power', help: 'power on, off, cycle, or boot from the network or the disk', disabled: none, run: () => power(ctx, targets()) },
    ...editActions(ctx, current, one),
    { key: 'C-d', label: 'delete', help: 'delete the server(s) from the inventory (asks first)', danger: true, disabled: none, run: () => remove(ctx, targets(), opts.hidden) },
  ];
}

type Check = (pred: (s: Server) => boolean, why: string) => () => string | undefined;

/** Accept, cordon, uncordon: each refused with its reason when every target is already so. */
function stateActions(ctx: ConsoleContext, targets: () => Server[], all: Check): Action[] {
  return [
    {
      key: 'a',
      label: 'accept',
      help: 'accept the server(s): they may now be allocated to clusters',
      disabled: all((s) => s.spec?.accepted === true, 'already accepted'),
      run: () => each(ctx, targets().filter((s) => !s.spec?.accepted), 'servers.accept', () => ({}), 'accepted'),
    },
    {
      key: 'c',
      label: 'cordon',
      help: 'cordon: keep the server out of new allocations',
      disabled: all((s) => s.spec?.cordoned === true, 'already cordoned'),
      run: () => each(ctx, targets().filter((s) => !s.spec?.cordoned), 'servers.cordon', () => ({}), 'cordoned'),
    },
    {
      key: 'u',
      label: 'uncordon',
      help: 'uncordon: let the server be allocated again',
      disabled: all((s) => s.spec?.cordoned !== true, 'not cordoned'),
      run: () => each(ctx, targets().filter((s) => s.spec?.cordoned), 'servers.uncordon', () => ({}), 'uncordoned'),
    },
  ];
}

/** Edit, patches and YAML: on the server under the cursor. */
function editActions(ctx: ConsoleContext, current: () => Server | undefined, one: () => string | undefined): Action[] {
  return [
    { key: 'e', label: 'edit', help: 'edit the server under the cursor as YAML in $EDITOR (validated before saving)', disabled: one, run: () => ctx.edit(editResource(ctx, current()!)) },
    { key: 'P', label: 'patches', help: 'edit the Talos config patches of the server under the cursor in $EDITOR', disabled: one, run: () => ctx.edit(editPatches(ctx, current()!)) },
    {
      key: 'y',
      label: 'yaml',
      help: 'show the server under the cursor as YAML (BMC password redacted)',
      disabled: one,
      hint: false,
      run: () => {
        const s = current()!;
        ctx.push(showText(ctx, `yaml ${short(s.metadata.name)}`, () => resourceToYaml(redact(ctx.store.get<Server>('Server', s.metadata.name) ?? s))));
      },
    },
  ];
}

async function labelServers(ctx: ConsoleContext, list: Server[]): Promise<void> {
  const current = list.length === 1 ? Object.entries(list[0]!.metadata.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(' ') : '';
  await ctx.dialogs.prompt(`label ${names(list)}`, {
    label: 'k=v sets a label, k- removes it; separate with spaces',
    initial: current,
    accept: async (text) => {
      const set: Record<string, string> = {};
      const removeKeys: string[] = [];
      for (const word of text.split(/\s+/).filter(Boolean)) {
        if (word.endsWith('-') && !word.includes('=')) removeKeys.push(word.slice(0, -1));
        else if (/^[^=]+=.*$/.test(word)) set[word.slice(0, word.indexOf('='))] = word.slice(word.indexOf('=') + 1);
        else return `"${word}" is neither k=v nor k-`;
      }
      if (list.length === 1) {
        const keep = new Set(Object.keys(set));
        for (const k of Object.keys(list[0]!.metadata.labels ?? {})) if (!keep.has(k) && !removeKeys.includes(k)) removeKeys.push(k);
      }
      for (const s of list) {
        try {
          await ctx.call('servers.label', { name: s.metadata.name, set, remove: removeKeys });
        } catch (e) {
          return errorMessage(e);
        }
      }
      ctx.flash.info(`labelled ${names(list)}`);
      return undefined;
    },
  });
}

async function assignClass(ctx: ConsoleContext, list: Server[]): Promise<void> {
  const classes = ctx.store.list<ServerClass>('ServerClass').map((c) => c.metadata.name).sort();
  if (!classes.length) return ctx.flash.warn('there are no server classes yet: :classes, then n to create one');
  const pick = await ctx.dialogs.menu(`class for ${names(list)}`, classes.map((c) => ({ label: c, value: c })));
  if (pick) await each(ctx, list, 'servers.assignClass', () => ({ class: pick }), `assigned to class ${pick}:`);
}

async function assignCluster(ctx: ConsoleContext, list: Server[]): Promise<void> {
  const clusters = ctx.store.list<Cluster>('Cluster').map((c) => c.metadata.name).sort();
  if (!clusters.length) return ctx.flash.warn('there are no clusters yet: :clusters, then n to create one');
  const cluster = await ctx.dialogs.menu(`cluster for ${names(list)}`, clusters.map((c) => ({ label: c, value: c })));
  if (!cluster) return;
  const role = await ctx.dialogs.menu(`role in ${cluster}`, [
    { key: 'c', label: 'control plane', value: 'controlplane' as const },
    { key: 'w', label: 'worker', value: 'worker' as const },
  ]);
  if (role) await each(ctx, list, 'servers.assignCluster', () => ({ cluster, role }), `reserved for ${cluster} as ${role}:`);
}

async function power(ctx: ConsoleContext, list: Server[]): Promise<void> {
  const items = POWER_ITEMS.map((i) => {
    const why = list.map((s) => powerDisabled(s, i.value)).find((w) => w);
    return { key: i.key, label: i.label, value: i.value as string, ...(why ? { disabled: why } : {}) };
  });
  const action = await ctx.dialogs.menu(`power ${names(list)}`, items);
  if (!action) return;
  ctx.flash.info(`power ${action}: ${names(list)}…`);
  let ok = 0;
  for (const s of list) {
    const r = await ctx.op<{ power?: string }>('power.action', { server: s.metadata.name, action });
    if (r !== undefined) ok++;
  }
  if (ok === list.length) ctx.flash.info(`power ${action} done for ${names(list)}`);
}

async function remove(ctx: ConsoleContext, list: Server[], hiddenOf?: (list: Server[]) => number): Promise<void> {
  const bound = list.filter((s) => ctx.relations.bindingOf(s.metadata.name));
  const hidden = hiddenOf?.(list) ?? 0;
  const lines = [
    `Delete ${names(list)} from the inventory?`,
    ...(hidden ? [`(${hidden} of them hidden by the filter)`] : []),
    ...(bound.length ? [`${bound.length} of them ${bound.length === 1 ? 'is' : 'are'} allocated to a cluster and will be released first.`] : []),
    'A deleted server that boots again is discovered again as new.',
  ];
  if (!(await ctx.dialogs.confirm(`delete ${names(list)}`, lines, true))) return;
  await each(ctx, list, 'resources.delete', () => ({ kind: 'Server' }), 'deleted');
}
