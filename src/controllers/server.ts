import type { Server, ServerBinding } from '../api/index.js';
import type { Controller } from './types.js';
import { patchStatus } from './util.js';

/**
 * Server.status as Sidero keeps it: inUse while a ServerBinding of the same name exists; a server that
 * was in use is dirty (isClean false) once released, until the boot flow reports it wiped; a server never
 * allocated by Metalbox starts clean. ready = accepted and (allocated, or unallocated and clean).
 */
export const serverController: Controller = {
  name: 'server',
  primary: 'Server',
  watches: [{ kind: 'ServerBinding', map: (b) => [{ name: b.metadata.name }] }],
  async reconcile(ctx, ref) {
    const server = ctx.store.get<Server>('Server', ref.name);
    if (!server) return;
    const binding = ctx.store.get<ServerBinding>('ServerBinding', ref.name);
    const inUse = !!binding && !binding.metadata.deletionTimestamp;
    await patchStatus(ctx.store, server, (st) => {
      const wasInUse = st.inUse === true;
      st.inUse = inUse;
      if (inUse) st.isClean = false;
      else if (wasInUse) st.isClean = false;
      else st.isClean ??= true;
      // Sidero: PXEBooted (Talos reported its install) holds only while allocated; the next allocation installs anew.
      if (!inUse && st.conditions?.some((c) => c.type === 'PXEBooted')) st.conditions = st.conditions.filter((c) => c.type !== 'PXEBooted');
      st.ready = server.spec?.accepted === true && (inUse || st.isClean === true);
      st.power ??= 'unknown';
    });
  },
};
