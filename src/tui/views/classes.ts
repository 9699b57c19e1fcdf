/** Server classes: pools of servers by hardware and labels; enter lists a class's servers. */
import { annotations, type Server, type ServerClass } from '../../api/index.js';
import { errorMessage } from '../../util/errors.js';
import { age } from '../text.js';
import { deleteAction, editAction, yamlAction } from './common-actions.js';
import { editPatches } from './edit-targets.js';
import { ListView, type ListSpec } from './list.js';
import { serversView } from './servers.js';
import type { ConsoleContext } from './view.js';

function selectorText(c: ServerClass): string {
  const sel = c.spec?.selector;
  const parts = Object.entries(sel?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel?.matchExpressions ?? []) parts.push(`${e.key} ${e.operator}${e.values?.length ? ` (${e.values.join(',')})` : ''}`);
  return parts.join(',');
}

function qualifierText(c: ServerClass): string {
  const q = c.spec?.qualifiers;
  const hw = q?.hardware?.length ?? 0;
  const ls = q?.labelSelectors?.length ?? 0;
  if (!hw && !ls) return 'any server';
  return [hw ? `${hw} hardware` : '', ls ? `${ls} label` : ''].filter(Boolean).join(', ');
}

const spec: ListSpec<ServerClass> = {
  name: 'classes',
  kind: 'ServerClass',
  namespaced: false,
  columns: [
    { title: 'NAME', min: 8, max: 30 },
    { title: 'AVAILABLE', align: 'right' },
    { title: 'IN USE', align: 'right' },
    { title: 'SELECTOR', min: 8, max: 40, flex: true, drop: 2 },
    { title: 'QUALIFIERS', max: 24, drop: 3 },
    { title: 'ENVIRONMENT', max: 20, drop: 4 },
    { title: 'PATCHES', align: 'right', drop: 5 },
    { title: 'AGE', align: 'right', drop: 6 },
  ],
  empty: 'no server classes: n creates one (servers join it by label)',
  row: (c) => {
    const created = c.metadata.creationTimestamp;
    const avail = c.status?.serversAvailable?.length ?? 0;
    const used = c.status?.serversInUse?.length ?? 0;
    const patches = (c.spec?.configPatches?.length ?? 0) + (c.spec?.strategicPatches?.length ?? 0);
    return {
      id: c.metadata.name,
      labels: c.metadata.labels ?? {},
      cells: [
        { text: c.metadata.name },
        { text: String(avail), sort: avail, role: avail ? 'ok' : 'dim' },
        { text: String(used), sort: used, role: used ? 'info' : 'dim' },
        { text: selectorText(c) },
        { text: qualifierText(c), role: 'dim' },
        { text: c.spec?.environmentRef?.name ?? '' },
        { text: patches ? String(patches) : '', sort: patches },
        { text: '', sort: created ?? '', live: (now) => age(created, now) },
      ],
    };
  },
  relatedDirty: () => [],
  actions: (view, ctx) => [
    {
      key: 'enter',
      label: 'servers',
      help: "list the class's servers (available and in use)",
      disabled: () => (view.selected ? undefined : 'no class selected'),
      run: () => {
        const name = view.selected!.metadata.name;
        const members = (s: Server) => {
          const c = ctx.store.get<ServerClass>('ServerClass', name);
          return !!c && ([...(c.status?.serversAvailable ?? []), ...(c.status?.serversInUse ?? [])].includes(s.metadata.name));
        };
        const v = serversView(ctx, { name: `class ${name}`, scope: members });
        ctx.push(v);
      },
    },
    { key: 'n', label: 'new', help: 'create a class that servers join by the label metalbox.dev/class', run: () => createClass(ctx) },
    editAction(ctx, () => view.selected),
    { key: 'P', label: 'patches', help: "edit the class's Talos config patches in $EDITOR", disabled: () => (view.selected ? undefined : 'no class selected'), run: () => ctx.edit(editPatches(ctx, view.selected!)) },
    yamlAction(ctx, () => view.selected),
    deleteAction(ctx, view, (list) => {
      const used = list.reduce((n, c) => n + (c.status?.serversInUse?.length ?? 0), 0);
      return used ? [`${used} server(s) allocated through ${list.length === 1 ? 'it' : 'them'} keep their allocation.`] : [];
    }),
  ],
};

async function createClass(ctx: ConsoleContext): Promise<void> {
  const envs = () => ctx.store.list('Environment').map((e) => e.metadata.name);
  await ctx.dialogs.form(
    'new server class',
    [
      { name: 'name', label: 'name', hint: 'lowercase letters, digits and -, e.g. workers' },
      { name: 'environment', label: 'environment', hint: 'what its servers boot; empty = the default', complete: (t) => envs().filter((e) => e.startsWith(t)) },
    ],
    async (v) => {
      if (!v.name) return 'a class needs a name';
      const cls = {
        apiVersion: 'metal.sidero.dev/v1alpha2',
        kind: 'ServerClass',
        metadata: { name: v.name },
        spec: {
          qualifiers: {},
          selector: { matchLabels: { [annotations.CLASS_LABEL]: v.name } },
          ...(v.environment ? { environmentRef: { name: v.environment } } : {}),
        },
      };
      try {
        await ctx.call('resources.apply', { resources: [cls] });
      } catch (e) {
        return errorMessage(e);
      }
      ctx.flash.info(`created class ${v.name}: put servers in it with C on the servers list`);
      return undefined;
    },
  );
}

export function classesView(ctx: ConsoleContext): ListView<ServerClass> {
  return new ListView(spec, ctx);
}
