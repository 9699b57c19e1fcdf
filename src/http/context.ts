/** What the routes of the HTTP service share. */
import type { AssetCache, EnvironmentStatusKeeper } from '../assets/index.js';
import type { Templates } from '../boot/index.js';
import type { Settings } from '../config/index.js';
import type { EventBus } from '../events/index.js';
import type { Store } from '../store/index.js';
import type { SideroPatchSources } from '../talos/index.js';
import type { Memo } from './memo.js';
import type { WipeBoot } from './wipe.js';

/**
 * Render a machine's config: the bootstrap config with the bound ServerClass's patches, the Server's,
 * and the node label `metal.sidero.dev/uuid=<uuid>` (Sidero's order; the Talos library's
 * renderServerConfig). Throws when a patch does not apply.
 */
export type RenderConfig = (configYaml: string, sources: SideroPatchSources) => string | Promise<string>;

export interface HttpContext {
  settings: Settings;
  store: Store;
  events: EventBus;
  cache: AssetCache;
  keeper: EnvironmentStatusKeeper;
  templates: Templates;
  /** iPXE binaries served under /tftp/: name -> path. */
  ipxeFiles: ReadonlyMap<string, string>;
  renderConfig: RenderConfig;
  /** The requester's MAC from the neighbour table, when known. */
  arp: (address: string) => string | undefined;
  /** The port actually listened on (differs from the setting when it is 0 in tests). */
  port: () => number;
  now: () => Date;
  /** Address -> Server, from install scripts served, to put asset downloads on the right timeline. */
  peers: Map<string, string>;
  /** New Servers allowed per minute (a flood of made-up UUIDs cannot fill the state file). */
  discovery: { budget: number; windowStart: number; created: number };
  /** Per server: the facts last recorded at which resourceVersion (a parked machine re-asking costs no work). */
  seen: Map<string, { facts: string; resourceVersion: string }>;
  /** Per server: the last decision told to the event log, and when (a park loop is not logged every 30 s). */
  told: Map<string, { decision: string; detail: string; environment: string; at: number }>;
  /** What parked machines re-asking need not have computed again (see memo.ts). */
  memo: Memo;
  /** Per server: the wipe environment it was last given, and what of it was fetched (see wipe.ts). */
  wipes: Map<string, WipeBoot>;
}
