import { bootFormatters } from './kinds/boot.js';
import type { Formatters } from './kinds/common.js';
import { networkFormatters } from './kinds/network.js';
import { powerFormatters } from './kinds/power.js';
import { serviceFormatters } from './kinds/service.js';
import { storeFormatters } from './kinds/store.js';
import type { MetalboxEvent, Severity } from './types.js';

const formatters: Formatters<MetalboxEvent> = {
  ...serviceFormatters,
  ...networkFormatters,
  ...bootFormatters,
  ...powerFormatters,
  ...storeFormatters,
};

/** One line for the console and the log. */
export function formatEvent(e: MetalboxEvent): string {
  const f = formatters[e.type] as (ev: MetalboxEvent) => string;
  return f(e);
}

/** How loud an event is, for colouring and filtering. */
export function severityOf(e: MetalboxEvent): Severity {
  switch (e.type) {
    case 'audit.denied':
    case 'controller.error':
    case 'power.operator':
      return 'warn';
    case 'service.state':
      return e.state === 'failed' ? 'error' : 'info';
    case 'http.error':
      return 'error';
    case 'talos.event':
      return e.phase.endsWith('failed') ? 'error' : 'info';
    case 'power.action':
      return e.ok ? 'info' : 'error';
    case 'tftp.transfer':
      return e.phase === 'error' ? 'warn' : 'info';
    case 'boot.config':
      return e.outcome === 'served' ? 'info' : 'warn';
    case 'assets.status':
      return e.ready ? 'info' : 'warn';
    case 'assets.summary':
      return e.missing.length ? 'warn' : 'info';
    case 'server.identity':
    case 'dhcp.dropped':
    case 'tftp.dropped':
    case 'talos.dropped':
    case 'store.conflict':
      return 'warn';
    default:
      return 'info';
  }
}

/**
 * The keys of the per-server timelines an event belongs to. A server's kernel log lines keep a ring of
 * their own (`log:<server>`), so a chatty kernel cannot push its boot steps out of the timeline.
 */
export function subjectKeys(e: MetalboxEvent): string[] {
  if (e.type === 'talos.log') return e.server ? [`log:${e.server}`] : [];
  const keys: string[] = [];
  if ('server' in e && typeof e.server === 'string' && e.server) keys.push(e.server);
  if ('mac' in e && typeof e.mac === 'string' && e.mac) keys.push(`mac:${e.mac.toLowerCase()}`);
  return keys;
}
