import type { Formatters, Subject } from './common.js';

export type PowerAction = 'status' | 'on' | 'off' | 'cycle' | 'soft' | 'pxe' | 'disk';
export type PowerState = 'on' | 'off' | 'unknown';

export type PowerEvent =
  | (Subject & { type: 'power.action'; server: string; driver: string; action: PowerAction; ok: boolean; error?: string })
  /** A change of a server's power state as read from its BMC; `reason` says why it is unknown. */
  | (Subject & { type: 'power.state'; server: string; driver: string; power: PowerState; previous?: PowerState; reason?: string })
  /** The lifecycle's own power step (install, wipe, idle off), taken before the action itself. */
  | (Subject & { type: 'power.lifecycle'; server: string; action: PowerAction; why: string })
  /** The manual driver: a person must do something at the machine. */
  | (Subject & { type: 'power.operator'; server: string; request: string });

export const powerFormatters: Formatters<PowerEvent> = {
  'power.action': (e) => `power ${e.action} ${e.server} via ${e.driver}: ${e.ok ? 'ok' : `failed: ${e.error ?? 'unknown error'}`}`,
  'power.state': (e) =>
    `power ${e.server} is ${e.power}${e.previous && e.previous !== e.power ? ` (was ${e.previous})` : ''}${e.reason ? `: ${e.reason}` : ''}`,
  'power.lifecycle': (e) => `power ${e.action} ${e.server}: ${e.why}`,
  'power.operator': (e) => `ACTION NEEDED: ${e.request}`,
};
