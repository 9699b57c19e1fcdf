/**
 * Where Talos reports back (DESIGN.md section 4, step 8): its event sink (gRPC, `talos.events.sink=`)
 * and its kernel log stream (TCP JSON lines, `talos.logging.kernel=`), both pointed at Metalbox by the
 * install environment's kernel args. Install progress becomes the ServerBinding's and Server's conditions
 * as Sidero's events-manager sets them, so an installed machine's next network boot goes to its disk; the
 * kernel log becomes the server page's live log. Codecs (decode.ts, kmsg.ts) and policy (policy.ts) are
 * pure; the two receivers are thin.
 */
import type { Settings } from '../config/index.js';
import type { EventBus } from '../events/index.js';
import type { Store } from '../store/index.js';
import { TalosEventSink } from './event-sink.js';
import { KernelLogReceiver } from './kernel-log.js';
import { PeerDirectory } from './peers.js';

export { TalosEventSink, MAX_EVENT_BYTES, MAX_QUEUED_PER_SERVER, type EventSinkOptions, type EventSinkStats } from './event-sink.js';
export { KernelLogReceiver, LINES_PER_SECOND, ALL_LINES_PER_SECOND, type KernelLogOptions, type KernelLogStats } from './kernel-log.js';
export { PeerDirectory, plainAddress, addressOfPeer } from './peers.js';
export { decodeEvent, EVENT_TYPES, type TalosEvent, type Decoded } from './decode.js';
export { effectOf, isInstallReboot, phaseWords, type Effect, type ConditionChange } from './policy.js';
export { applyEffect, markCondition } from './apply.js';
export { LineSplitter, parseKmsgLine, logLineText, MAX_LINE, type KmsgRecord } from './kmsg.js';
export { LineBudget } from './rate.js';
export { DEFAULT_LIMITS, type GateLimits } from './guard.js';
export { loadSinkProtos, loadSinkService, loadEventMessages, protoDir, EVENTS_PROTO, MACHINE_PROTO, type SinkProtos } from './proto.js';

export interface TalosSinkOptions {
  settings: Settings;
  store: Store;
  events: EventBus;
  host?: string;
}

/** The two receivers, sharing one map of addresses to Servers; add both to the app's ServiceSet. */
export function createTalosSink(o: TalosSinkOptions): { events: TalosEventSink; kernelLog: KernelLogReceiver; peers: PeerDirectory } {
  const peers = new PeerDirectory(o.store);
  const host = o.host ? { host: o.host } : {};
  return {
    peers,
    events: new TalosEventSink({ settings: o.settings, store: o.store, events: o.events, peers, ...host }),
    kernelLog: new KernelLogReceiver({ settings: o.settings, events: o.events, peers, ...host }),
  };
}
