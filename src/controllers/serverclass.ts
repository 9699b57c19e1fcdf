import { serverClassStatus, type Resource, type Server, type ServerClass } from '../api/index.js';
import type { Controller } from './types.js';
import { patchStatus } from './util.js';

const allClasses = (_o: Resource, ctx: Parameters<NonNullable<Controller['watches']>[number]['map']>[1]) =>
  ctx.store.list('ServerClass').map((c) => ({ name: c.metadata.name }));

/** ServerClass.status: which accepted, uncordoned, matching servers are available and which are in use. */
export const serverClassController: Controller = {
  name: 'serverclass',
  primary: 'ServerClass',
  watches: [
    { kind: 'Server', map: allClasses },
    { kind: 'ServerBinding', map: allClasses },
  ],
  async reconcile(ctx, ref) {
    const cls = ctx.store.get<ServerClass>('ServerClass', ref.name);
    if (!cls) return;
    const servers = ctx.store.list<Server>('Server').filter((s) => !s.metadata.deletionTimestamp);
    const inUse = new Set(ctx.store.list('ServerBinding').map((b) => b.metadata.name));
    const withUse = servers.map((s) => (inUse.has(s.metadata.name) === !!s.status?.inUse ? s : ({ ...s, status: { ...s.status, inUse: inUse.has(s.metadata.name) } } as Server)));
    const next = serverClassStatus(cls, withUse);
    await patchStatus(ctx.store, cls, (st) => {
      st.serversAvailable = next.serversAvailable;
      st.serversInUse = next.serversInUse;
    });
  },
};
