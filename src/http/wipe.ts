/**
 * The wipe of a released server, as the boot flow sees it. The wipe environment boots Talos without a
 * config and with `talos.experimental.wipe=system`: Talos resets its system disk and reboots straight away
 * (it does not wait in maintenance mode), and the machine network-boots again. So a dirty server that
 * fetched the wipe environment's kernel and initrd in full, whose iPXE did not come back saying the boot
 * failed (`/boot.ipxe?failed=wipe`, from the install script's failure path), and that asks `/ipxe` again
 * has been through the wipe: it is marked clean (`status.isClean`) and goes back to the pool.
 *
 * Kept in memory only: after a restart of Metalbox in the middle of a wipe the machine is wiped again,
 * which is harmless.
 */
import type { Server, ServerBinding } from '../api/index.js';
import type { HttpContext } from './context.js';

export interface WipeBoot {
  /** The address that fetched the wipe script. */
  peer: string;
  /** The files the script boots (`vmlinuz`, and `initramfs.xz` when the Environment has an initrd). */
  files: readonly string[];
  /** Those of them sent in full to `peer` since. */
  fetched: Set<string>;
}

/** Most wipes remembered at once; beyond it the memory starts over (those machines are wiped again). */
const WIPES_LIMIT = 20_000;

/** The wipe script was just served to `peer`: what it boots is watched from now on. */
export function wipeServed(ctx: HttpContext, server: string, peer: string, files: readonly string[]): void {
  if (ctx.wipes.size >= WIPES_LIMIT) ctx.wipes.clear();
  ctx.wipes.set(server, { peer, files, fetched: new Set() });
}

/** A boot file was sent in full to `peer`. */
export function bootFileSent(ctx: HttpContext, peer: string, file: string): void {
  const server = ctx.peers.get(peer);
  const w = server ? ctx.wipes.get(server) : undefined;
  if (w && w.peer === peer && w.files.includes(file)) w.fetched.add(file);
}

/** iPXE at `peer` could not boot what it was given: whatever it fetched was not booted. */
export function bootFailed(ctx: HttpContext, peer: string): void {
  const server = ctx.peers.get(peer);
  const w = server ? ctx.wipes.get(server) : undefined;
  if (w && w.peer === peer) w.fetched.clear();
}

/**
 * At `/ipxe`: when this server booted the wipe environment and has come back, mark it clean. Returns
 * the Server as it is now.
 */
export async function settleWipe(ctx: HttpContext, server: Server, binding: ServerBinding | undefined): Promise<Server> {
  const name = server.metadata.name;
  const w = ctx.wipes.get(name);
  if (!w || !w.files.every((f) => w.fetched.has(f))) return server;
  ctx.wipes.delete(name);
  if (binding || server.status?.isClean !== false) return server;
  const updated = await ctx.store.mutate<Server>('Server', name, undefined, (s) => {
    if (s.status?.isClean !== false) return s;
    s.status = { ...s.status, isClean: true };
    return s;
  });
  ctx.events.emit({ type: 'server.wiped', server: name, detail: 'it booted the wipe environment (Talos resets its system disk, then reboots) and is back at the network boot' });
  return updated;
}
