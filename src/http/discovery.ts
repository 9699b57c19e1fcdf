/**
 * Discovery at `/ipxe`: a machine iPXE reports becomes a Server (accepted only when autoAcceptServers is
 * on) and its hardware is refreshed on every boot. Writes happen only when something changed, so a parked
 * machine asking every 30 seconds costs no disk write.
 */
import { isDeepStrictEqual } from 'node:util';
import { annotations, type Server } from '../api/index.js';
import { bootFactsNote, hardwareFromFacts, type BootFacts, type Identity } from '../boot/index.js';
import { isMetalboxError, MetalboxError } from '../util/errors.js';
import type { HttpContext } from './context.js';

function note(f: BootFacts, id: Identity): string {
  return JSON.stringify(bootFactsNote(f, id.byMac ? id.reason : undefined));
}

function allowNew(ctx: HttpContext): boolean {
  const d = ctx.discovery;
  const now = ctx.now().getTime();
  if (now - d.windowStart > 60_000) {
    d.windowStart = now;
    d.created = 0;
  }
  if (d.created >= d.budget) return false;
  d.created++;
  return true;
}

async function register(ctx: HttpContext, f: BootFacts, id: Identity): Promise<Server> {
  if (!allowNew(ctx)) {
    throw new MetalboxError('DISCOVERY_BUSY', `more than ${ctx.discovery.budget} new servers this minute; ${id.name} will be registered when it asks again`);
  }
  const server: Server = {
    apiVersion: 'metal.sidero.dev/v1alpha2',
    kind: 'Server',
    metadata: { name: id.name, annotations: { [annotations.BOOT_FACTS]: note(f, id) } },
    spec: { accepted: ctx.settings.autoAcceptServers, hardware: hardwareFromFacts(f) },
  };
  try {
    const created = await ctx.store.create(server);
    ctx.events.emit({ type: 'server.discovered', server: id.name, mac: f.mac, accepted: created.spec?.accepted ?? false });
    if (id.byMac) ctx.events.emit({ type: 'server.identity', server: id.name, mac: f.mac, reason: id.reason ?? '' });
    return created;
  } catch (e) {
    // Two requests of one machine at once: the other one created it.
    const now = ctx.store.get<Server>('Server', id.name);
    if (isMetalboxError(e, 'STORE_EXISTS') && now) return now;
    throw e;
  }
}

/** Most servers whose last facts are remembered; beyond it the memory starts over. */
const SEEN_LIMIT = 20_000;

function remember(ctx: HttpContext, name: string, facts: string, s: Server): Server {
  if (ctx.seen.size >= SEEN_LIMIT) ctx.seen.clear();
  ctx.seen.set(name, { facts, resourceVersion: s.metadata.resourceVersion ?? '' });
  return s;
}

/** The Server, when it reported these same facts last time and has not changed since (no work to do). */
export function knownAsBefore(ctx: HttpContext, name: string, query: string): Server | undefined {
  const last = ctx.seen.get(name);
  if (!last || last.facts !== query) return undefined;
  const known = ctx.store.get<Server>('Server', name);
  return known && last.resourceVersion === known.metadata.resourceVersion ? known : undefined;
}

/** The Server for these facts (`query`: factsQuery of them): created, refreshed, or as it was. */
export async function discover(ctx: HttpContext, f: BootFacts, id: Identity, query: string): Promise<Server> {
  const known = ctx.store.get<Server>('Server', id.name);
  if (!known) return remember(ctx, id.name, query, await register(ctx, f, id));
  return knownAsBefore(ctx, id.name, query) ?? remember(ctx, id.name, query, await refresh(ctx, f, id, known));
}

async function refresh(ctx: HttpContext, f: BootFacts, id: Identity, known: Server): Promise<Server> {
  const hardware = hardwareFromFacts(f, known.spec?.hardware);
  const facts = note(f, id);
  const before = known.metadata.annotations?.[annotations.BOOT_FACTS];
  if (isDeepStrictEqual(hardware, known.spec?.hardware) && before === facts) return known;
  const updated = await ctx.store.mutate<Server>('Server', id.name, undefined, (s) => {
    s.spec = { ...s.spec, accepted: s.spec?.accepted ?? false, hardware: hardwareFromFacts(f, s.spec?.hardware) };
    s.metadata.annotations = { ...s.metadata.annotations, [annotations.BOOT_FACTS]: facts };
    return s;
  });
  if (id.byMac && !before?.includes('"identity"')) ctx.events.emit({ type: 'server.identity', server: id.name, mac: f.mac, reason: id.reason ?? '' });
  return updated;
}
