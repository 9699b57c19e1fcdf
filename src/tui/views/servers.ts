/** The servers list (the console's home) and its scoped variants (a class's members). */
import type { Server } from '../../api/index.js';
import { SERVER_COLUMNS, serverMacs, serverRow } from '../render/servers.js';
import { ListView, type ListSpec } from './list.js';
import { serverActions } from './server-actions.js';
import { ServerPage } from './server-page.js';
import type { ConsoleContext } from './view.js';

export function serversSpec(opts: { name?: string; scope?: (s: Server) => boolean } = {}): ListSpec<Server> {
  return {
    name: opts.name ?? 'servers',
    kind: 'Server',
    namespaced: false,
    related: ['ServerBinding', 'ServerClass', 'MetalMachine', 'Machine'],
    columns: SERVER_COLUMNS,
    sortCol: 0,
    empty: 'no servers yet: power a machine on to boot from the network and it appears here within seconds',
    row: (s, ctx) => {
      ctx.progress.learn(s.metadata.name, serverMacs(s));
      return serverRow(s, ctx.relations, ctx.progress.of(s.metadata.name));
    },
    relatedDirty: (e) => (e.object.kind === 'ServerBinding' ? [e.object.metadata.name] : 'all'),
    eventDirty: (r, ctx) => ctx.progress.changedBy(r),
    ...(opts.scope ? { scope: opts.scope } : {}),
    actions: (view, ctx) =>
      serverActions(ctx, () => view.targets(), {
        open: (s) => ctx.push(new ServerPage(ctx, s.metadata.name)),
        selected: () => view.selected,
        hidden: (list) => {
          const shown = new Set(view.model.ids());
          return list.filter((s) => !shown.has(s.metadata.name)).length;
        },
      }),
  };
}

export function serversView(ctx: ConsoleContext, opts: { name?: string; scope?: (s: Server) => boolean } = {}): ListView<Server> {
  return new ListView(serversSpec(opts), ctx);
}
