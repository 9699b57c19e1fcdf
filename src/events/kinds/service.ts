import type { Formatters } from './common.js';

export type ServiceName = 'dhcp' | 'dhcp-proxy' | 'tftp' | 'http' | 'control' | 'events-sink' | 'kernel-log' | 'power' | 'controllers';
export type ServiceState = 'starting' | 'running' | 'stopped' | 'failed' | 'disabled';

export type ServiceEvent =
  | { type: 'service.state'; service: ServiceName; state: ServiceState; detail?: string }
  | { type: 'appliance.started'; address: string; dataDir: string; version: string }
  | { type: 'appliance.stopping'; reason: string }
  | { type: 'operator.action'; action: string; target?: string; detail?: string };

export const serviceFormatters: Formatters<ServiceEvent> = {
  'service.state': (e) => `${e.service} ${e.state}${e.detail ? `: ${e.detail}` : ''}`,
  'appliance.started': (e) => `metalbox ${e.version} started on ${e.address || 'no address'} (data ${e.dataDir})`,
  'appliance.stopping': (e) => `metalbox stopping: ${e.reason}`,
  'operator.action': (e) => `operator: ${e.action}${e.target ? ` ${e.target}` : ''}${e.detail ? ` (${e.detail})` : ''}`,
};
