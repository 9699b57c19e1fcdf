/**
 * `GET /boot.ipxe` (the NIC loop) and `GET /ipxe?...` (what this machine boots now). `/ipxe` records what
 * iPXE reports, asks src/boot for the decision and renders it: park, install (minting a boot token),
 * wipe, boot from disk, or an error status with the reason (404 no such Environment, 412 not ready).
 * Every request reads a handful of objects by name from the store's memory; none scans all Servers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { annotations, type Environment, type Server, type ServerBinding, type ServerClass } from '../api/index.js';
import {
  bootScript,
  configDataUrl,
  decideBoot,
  diskScript,
  environmentFor,
  formatTokenRecord,
  identify,
  installScript,
  kernelArgs,
  machineArch,
  mintToken,
  type BootAnswer,
  type BootFacts,
  type Urls,
} from '../boot/index.js';
import { errorMessage, isMetalboxError } from '../util/errors.js';
import type { HttpContext } from './context.js';
import { discover, knownAsBefore } from './discovery.js';
import { factsOfQuery, parkScriptFor } from './memo.js';
import { baseUrl, peerAddress, sendError, sendScript } from './respond.js';
import { bootFailed, settleWipe, wipeServed } from './wipe.js';

/** Rounds over all NICs before boot.ipxe reboots the machine. */
export const BOOT_ROUNDS = 10;

/**
 * `/boot.ipxe`; `?failed=install|wipe` is the install script's failure path (its kernel or initrd could not
 * be fetched or booted): told to the event log, and a wipe is not counted as booted.
 */
export function serveBootScript(ctx: HttpContext, req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
  const failed = query.get('failed');
  if (failed === 'install' || failed === 'wipe') {
    const peer = peerAddress(req);
    const server = ctx.peers.get(peer);
    bootFailed(ctx, peer);
    if (server) ctx.events.emit({ type: 'boot.ipxe', server, decision: 'boot failed', detail: `iPXE could not boot the ${failed} environment; it starts over` });
  }
  sendScript(req, res, bootScript(ctx.templates, { base: baseUrl(req, ctx.settings.address, ctx.port()) }, BOOT_ROUNDS));
}

interface Lookup {
  binding: ServerBinding | undefined;
  serverClass: ServerClass | undefined;
  environment: Environment | undefined;
  arch: 'amd64' | 'arm64' | undefined;
}

function lookup(ctx: HttpContext, server: Server, f: BootFacts): Lookup {
  const binding = ctx.store.get<ServerBinding>('ServerBinding', server.metadata.name);
  const className = binding?.spec?.serverClassRef?.name;
  const serverClass = className ? ctx.store.get<ServerClass>('ServerClass', className) : undefined;
  const arch = machineArch(f.buildarch);
  const envName = environmentFor(server, serverClass, arch);
  const environment = envName ? ctx.store.get<Environment>('Environment', envName) : undefined;
  return { binding, serverClass, environment, arch };
}

export async function serveIpxe(ctx: HttpContext, req: IncomingMessage, res: ServerResponse, rawQuery: string): Promise<void> {
  const parsed = factsOfQuery(ctx.memo, rawQuery);
  if (!parsed.ok) return sendError(req, res, 400, parsed.reason);
  const { facts: f, query } = parsed.read;
  const id = identify(f, (name) => ctx.store.get<Server>('Server', name));
  let server: Server;
  try {
    server = knownAsBefore(ctx, id.name, query) ?? (await discover(ctx, f, id, query));
  } catch (e) {
    if (!isMetalboxError(e, 'DISCOVERY_BUSY')) throw e;
    ctx.events.emit({ type: 'boot.ipxe', server: id.name, mac: f.mac, decision: 'refused', detail: e.message });
    return sendError(req, res, 503, undefined, { 'retry-after': 30 });
  }
  const l = lookup(ctx, server, f);
  if (ctx.wipes.has(server.metadata.name)) server = await settleWipe(ctx, server, l.binding);
  const answer = decideBoot({
    server,
    binding: l.binding,
    serverClass: l.serverClass,
    environment: l.environment ? { resource: l.environment, readiness: () => ctx.keeper.readiness(l.environment!) } : undefined,
    arch: l.arch,
    settings: ctx.settings,
  });
  await answerBoot(ctx, req, res, { server, f, query, answer });
}

interface Answering {
  server: Server;
  f: BootFacts;
  /** factsQuery(f). */
  query: string;
  answer: BootAnswer;
}

/** A repeated park is told again only after this long. */
const RETELL_MS = 10 * 60_000;

/** Tell the event log, unless this server was just told the same park (its park loop re-asking). */
function tell(ctx: HttpContext, server: string, mac: string, e: { decision: string; detail: string; environment?: string }): void {
  const now = ctx.now().getTime();
  const last = ctx.told.get(server);
  const environment = e.environment ?? '';
  const same = last?.decision === e.decision && last.detail === e.detail && last.environment === environment;
  if (e.decision === 'park' && same && now - last.at < RETELL_MS) return;
  if (ctx.told.size >= 20_000) ctx.told.clear();
  ctx.told.set(server, { decision: e.decision, detail: e.detail, environment, at: now });
  ctx.events.emit({ type: 'boot.ipxe', server, mac, ...e });
}

async function answerBoot(ctx: HttpContext, req: IncomingMessage, res: ServerResponse, a: Answering): Promise<void> {
  const name = a.server.metadata.name;
  const urls: Urls = { base: baseUrl(req, ctx.settings.address, ctx.port()) };
  const event = (decision: string, detail: string) => tell(ctx, name, a.f.mac, { decision, detail });
  const ans = a.answer;
  switch (ans.action) {
    case 'park':
      if (hasToken(a.server)) await dropToken(ctx, a.server);
      event('park', ans.reason);
      return sendScript(req, res, parkScriptFor(ctx.memo, ctx.templates, urls, { server: name, reason: ans.reason, seconds: ctx.settings.boot.parkInterval, facts: a.query }));
    case 'disk':
      if (hasToken(a.server)) await dropToken(ctx, a.server);
      event(`boot from disk (${ans.method})`, ans.reason);
      if (ans.method === 'http-404') return sendError(req, res, 404);
      return sendScript(req, res, diskScript(ctx.templates, ans.method, { server: name, reason: ans.reason }));
    case 'refuse':
      event('refused', ans.reason);
      return sendError(req, res, ans.status, ans.reason);
    default:
      return serveEnvironment(ctx, req, res, { ...a, urls, env: ans.environment, action: ans.action, reason: ans.reason });
  }
}

interface EnvAnswer extends Answering {
  urls: Urls;
  env: Environment;
  action: 'install' | 'wipe';
  reason: string;
}

async function serveEnvironment(ctx: HttpContext, req: IncomingMessage, res: ServerResponse, a: EnvAnswer): Promise<void> {
  const name = a.server.metadata.name;
  const envName = a.env.metadata.name;
  const host = new URL(a.urls.base).hostname;
  const { eventsPort, kernelLogPort } = ctx.settings.talos;
  const sinks = { eventsSink: `${host}:${eventsPort}`, kernelLog: `tcp://${host}:${kernelLogPort}` };
  const environmentArgs = a.env.spec?.kernel?.args ?? [];
  const wipe = a.action === 'wipe';
  try {
    kernelArgs({ environmentArgs, wipe });
  } catch (e) {
    const reason = `environment "${envName}" is not ready: ${errorMessage(e)}`;
    tell(ctx, name, a.f.mac, { decision: 'refused', environment: envName, detail: reason });
    return sendError(req, res, 412, reason);
  }
  let configUrl: string | undefined;
  const peer = peerAddress(req);
  if (ctx.peers.size >= 20_000) ctx.peers.clear();
  ctx.peers.set(peer, name);
  const hasInitrd = Boolean(a.env.spec?.initrd?.url || a.env.spec?.initrd?.sha512);
  if (a.action === 'install') {
    const { token, record } = mintToken(peer, ctx.settings.boot.tokenTtl, ctx.now());
    await ctx.store.mutate<Server>('Server', name, undefined, (s) => {
      s.metadata.annotations = { ...s.metadata.annotations, [annotations.BOOT_TOKEN]: formatTokenRecord(record) };
      return s;
    });
    configUrl = configDataUrl(a.urls.base, name, token);
  } else {
    await dropToken(ctx, a.server);
    wipeServed(ctx, name, peer, hasInitrd ? ['vmlinuz', 'initramfs.xz'] : ['vmlinuz']);
  }
  const args = kernelArgs({ environmentArgs, configUrl, wipe, ...sinks });
  tell(ctx, name, a.f.mac, { decision: a.action, environment: envName, detail: a.reason });
  sendScript(req, res, installScript(ctx.templates, a.urls, { server: name, action: a.action, environment: envName, args, hasInitrd }));
}

const hasToken = (server: Server) => server.metadata.annotations?.[annotations.BOOT_TOKEN] !== undefined;

/** A token is only good for the install it was minted for: any other answer withdraws it. */
async function dropToken(ctx: HttpContext, server: Server): Promise<void> {
  if (!hasToken(server)) return;
  await ctx.store.mutate<Server>('Server', server.metadata.name, undefined, (s) => {
    const { [annotations.BOOT_TOKEN]: _gone, ...rest } = s.metadata.annotations ?? {};
    s.metadata.annotations = rest;
    return s;
  });
}
