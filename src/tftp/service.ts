/**
 * The TFTP service the app wires: read-only, over a fixed map of names to files.
 */
import type { Settings } from '../config/index.js';
import type { EventBus } from '../events/index.js';
import { ServedFiles } from './files.js';
import { TftpListener } from './server.js';
import { emptyTftpStats, type TftpStats } from './stats.js';

/** The largest RFC 7440 window granted; EDK2 asks for 4, and more than 64 buys nothing on a LAN. */
export const MAX_WINDOWSIZE = 64;

export interface TftpServiceOptions {
  settings: Settings;
  events: EventBus;
  /** Served name -> absolute path (see findIpxeBinaries). Nothing else is reachable. */
  files: ReadonlyMap<string, string>;
  /** Override the window cap (default MAX_WINDOWSIZE). */
  maxWindowsize?: number;
}

export interface TftpService {
  /** Bind and serve; rejects with BIND_PERMISSION / BIND_IN_USE / BIND_FAILED (see bindError). */
  start(): Promise<void>;
  /** Abort running transfers (the clients get an error) and close. */
  stop(): Promise<void>;
  stats(): TftpStats;
  /** The names served. */
  files(): string[];
}

export function createTftpService(opts: TftpServiceOptions): TftpService {
  const served = new ServedFiles(opts.files);
  let listener: TftpListener | undefined;
  return {
    async start() {
      if (listener) return;
      const l = new TftpListener({
        port: opts.settings.tftp.port,
        events: opts.events,
        files: served,
        limits: {
          maxBlksize: opts.settings.tftp.maxBlksize,
          maxWindowsize: opts.maxWindowsize ?? MAX_WINDOWSIZE,
          defaultTimeoutMs: opts.settings.tftp.timeout * 1000,
        },
        retries: opts.settings.tftp.retries,
      });
      await l.start();
      listener = l;
    },
    async stop() {
      const l = listener;
      listener = undefined;
      await l?.stop();
    },
    stats: () => listener?.stats() ?? emptyTftpStats(),
    files: () => served.list(),
  };
}
