import type { Settings } from '../config/index.js';
import type { EventBus, EventRecord } from '../events/index.js';
import type { AssetCache, EnvironmentStatusKeeper } from '../assets/index.js';
import type { PowerController } from '../power/index.js';
import type { JsonStore } from '../store/index.js';

/**
 * What an operation may use. Operations are the business logic shared by the console and the CLI; they
 * run in the process that owns the data directory (the CLI reaches it over the control socket).
 */
export interface OpsContext {
  store: JsonStore;
  events: EventBus;
  settings: Settings;
  dataDir: string;
  /** Services of a running appliance; absent in a one-shot CLI process. */
  services: ServiceHandles;
}

/** Live services an operation can ask about or drive. Rooms add their handle here when they land. */
export interface ServiceHandles {
  status?: () => ApplianceStatus;
  /** The running power controller: actions go through its limiter and trigger its immediate poll. */
  power?: PowerController;
  /** The running HTTP service's asset cache and Environment status keeper. */
  assets?: { cache: AssetCache; keeper: EnvironmentStatusKeeper };
}

export interface ServiceStatus {
  name: string;
  state: 'starting' | 'running' | 'stopped' | 'failed' | 'disabled';
  detail?: string;
}

export interface ApplianceStatus {
  version: string;
  pid: number;
  dataDir: string;
  address: string;
  interface: string;
  startedAt: string;
  services: ServiceStatus[];
}

export type { EventRecord };
