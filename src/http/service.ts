/**
 * The HTTP service the app wires, on settings.http.port: iPXE scripts, discovery, boot assets, the iPXE
 * binaries and machine configs (see router.ts for the paths). It also keeps the Environments' status
 * conditions true to the asset cache while it runs.
 */
import { createServer, type Server as NodeServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AssetCache, EnvironmentStatusKeeper } from '../assets/index.js';
import { loadTemplates, type Templates } from '../boot/index.js';
import type { Settings } from '../config/index.js';
import type { EventBus } from '../events/index.js';
import type { Store } from '../store/index.js';
import { findIpxeBinaries } from '../tftp/index.js';
import { bindError } from '../util/errors.js';
import { arpLookup } from './arp.js';
import type { HttpContext, RenderConfig } from './context.js';
import { newMemo } from './memo.js';
import { route } from './router.js';

export interface HttpServiceOptions {
  settings: Settings;
  store: Store;
  events: EventBus;
  dataDir: string;
  /** Applies Sidero's patches to a bootstrap config; default the Talos library's renderServerConfig. */
  renderConfig?: RenderConfig;
  /** iPXE binaries for /tftp/; default: looked up in settings.ipxe.paths at start. */
  ipxeFiles?: ReadonlyMap<string, string>;
  /** Address to listen on; default all. */
  host?: string;
  /** Port; default settings.http.port (0 picks a free one, for tests). */
  port?: number;
  cache?: AssetCache;
  templates?: Templates;
  arp?: (address: string) => string | undefined;
  now?: () => Date;
  /** New Servers accepted per minute (default 600). */
  discoveryBudget?: number;
}

export interface HttpService {
  readonly name: 'http';
  start(): Promise<void>;
  stop(): Promise<void>;
  describe(): string;
  /** The port listened on (0 before start). */
  port(): number;
  readonly cache: AssetCache;
  readonly keeper: EnvironmentStatusKeeper;
}

function context(o: HttpServiceOptions, parts: { cache: AssetCache; keeper: EnvironmentStatusKeeper; ipxeFiles: ReadonlyMap<string, string>; port: () => number }): HttpContext {
  return {
    settings: o.settings,
    store: o.store,
    events: o.events,
    cache: parts.cache,
    keeper: parts.keeper,
    templates: o.templates ?? loadTemplates(),
    ipxeFiles: parts.ipxeFiles,
    // The Talos library loads with the first config served, not at start.
    renderConfig: o.renderConfig ?? (async (config, sources) => (await import('../talos/index.js')).renderServerConfig(config, sources)),
    arp: o.arp ?? arpLookup(),
    port: parts.port,
    now: o.now ?? (() => new Date()),
    peers: new Map(),
    discovery: { budget: o.discoveryBudget ?? 600, windowStart: 0, created: 0 },
    seen: new Map(),
    told: new Map(),
    wipes: new Map(),
    memo: newMemo(),
  };
}

/** The Node server: bounded headers and times, a 400 for what does not parse as HTTP, tracked sockets. */
function nodeServer(ctx: HttpContext, sockets: Set<Socket>): NodeServer {
  const s = createServer({ maxHeaderSize: 16 * 1024, requestTimeout: 60_000, headersTimeout: 15_000, keepAliveTimeout: 5_000 }, (req, res) => {
    void route(ctx, req, res);
  });
  s.on('connection', (c: Socket) => {
    sockets.add(c);
    c.on('close', () => sockets.delete(c));
  });
  s.on('clientError', (_e, socket: Socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 12\r\nConnection: close\r\n\r\nbad request\n');
    else socket.destroy();
  });
  return s;
}

export function createHttpService(o: HttpServiceOptions): HttpService {
  const cache = o.cache ?? AssetCache.forDataDir(o.dataDir);
  const keeper = new EnvironmentStatusKeeper(o.store, cache, o.events);
  let server: NodeServer | undefined;
  let listening = 0;
  const sockets = new Set<Socket>();

  const start = async () => {
    if (server) return;
    const ipxeFiles = o.ipxeFiles ?? (await findIpxeBinaries(o.settings.ipxe.paths)).files;
    const s = nodeServer(context(o, { cache, keeper, ipxeFiles, port: () => listening }), sockets);
    const port = o.port ?? o.settings.http.port;
    await new Promise<void>((resolve, reject) => {
      s.once('error', (e) => reject(bindError('HTTP', port, e)));
      s.listen(port, o.host ?? '0.0.0.0', () => resolve());
    });
    listening = (s.address() as AddressInfo).port;
    server = s;
    keeper.start();
  };

  const stop = async () => {
    const s = server;
    server = undefined;
    if (!s) return;
    await keeper.stop();
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      for (const c of sockets) c.destroy();
    });
    listening = 0;
  };

  return { name: 'http', start, stop, describe: () => `port ${listening}`, port: () => listening, cache, keeper };
}
