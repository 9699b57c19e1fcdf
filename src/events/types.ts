import type { BootEvent } from './kinds/boot.js';
import type { NetworkEvent } from './kinds/network.js';
import type { PowerEvent } from './kinds/power.js';
import type { ServiceEvent } from './kinds/service.js';
import type { StoreEvent } from './kinds/store.js';

export type { Subject } from './kinds/common.js';
export type { ServiceName, ServiceState } from './kinds/service.js';
export type { DhcpMessageName } from './kinds/network.js';
export type { PowerAction, PowerState } from './kinds/power.js';

/**
 * Everything that happens in Metalbox, as one discriminated union on `type`.
 * Each room declares its kinds in `kinds/<room>.ts` together with their formatters.
 */
export type MetalboxEvent = ServiceEvent | NetworkEvent | BootEvent | PowerEvent | StoreEvent;
export type EventType = MetalboxEvent['type'];

/** An event as recorded: stamped with a sequence number and a time. */
export interface EventRecord {
  seq: number;
  /** ISO 8601 time. */
  time: string;
  event: MetalboxEvent;
}

export type Severity = 'info' | 'warn' | 'error';
