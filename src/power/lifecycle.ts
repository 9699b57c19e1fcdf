/**
 * The server lifecycle's power steps (DESIGN.md section 7; Sidero's server controller), as a pure decision:
 * - allocated to a cluster and off: boot into the network (PXE once, then on), so it installs;
 * - released and not wiped yet: boot into the network (on, or cycle if it is on), so the wipe runs;
 * - accepted, clean and not in use, and on: off (setting power.lifecycle `full` only).
 * Unlike Sidero, each step is taken once per phase of the server (plus a retry if the BMC did not do it),
 * so an operator who powers a machine back on by hand is not fought every poll. Nothing is done for a
 * server that is not accepted or is cordoned, nor through the manual driver (a person would be asked).
 */
import type { Server } from '../api/index.js';
import type { PowerAction, PowerState } from '../events/index.js';
import type { DriverCapabilities, DriverName } from './types.js';

export type LifecycleMode = 'full' | 'boot-only' | 'off';
export const LIFECYCLE_MODES: readonly LifecycleMode[] = ['full', 'boot-only', 'off'];

/** What the server is in, as far as power is concerned; a change of phase allows a new step. */
export type Phase = 'ignored' | 'install' | 'wipe' | 'idle';

export function phaseOf(s: Server): Phase {
  if (s.spec?.accepted !== true || s.spec?.cordoned === true || s.metadata.deletionTimestamp) return 'ignored';
  if (s.status?.inUse) return 'install';
  if (s.status?.isClean === false) return 'wipe';
  return 'idle';
}

export interface LastStep {
  phase: Phase;
  action: PowerAction;
  at: number;
}

export interface LifecycleInput {
  server: Server;
  mode: LifecycleMode;
  driver: DriverName;
  capabilities: DriverCapabilities;
  power: PowerState;
  last: LastStep | undefined;
  now: number;
}

/** How long before a step that did not take is tried again: IPMI "lies" (Sidero: 5 min; a wipe 20 min). */
export const RETRY_MS: Record<Phase, number> = { ignored: Infinity, install: 5 * 60_000, wipe: 20 * 60_000, idle: Infinity };

export interface Step {
  action: PowerAction;
  why: string;
}

export function lifecycleStep(i: LifecycleInput): Step | undefined {
  if (i.mode === 'off' || i.driver === 'manual' || i.driver === 'none') return undefined;
  const phase = phaseOf(i.server);
  if (phase === 'ignored') return undefined;
  const again = i.last?.phase === phase ? i.now - i.last.at >= RETRY_MS[phase] : true;
  if (!again) return undefined;
  const caps = i.capabilities;
  // A driver that cannot read the state (Wake-on-LAN) can only wake the machine, once per phase.
  const off = caps.status ? i.power === 'off' : i.power !== 'on';
  const on = caps.status && i.power === 'on';
  if (phase === 'install' && off) {
    if (caps.bootDevice || caps.on) return { action: caps.bootDevice ? 'pxe' : 'on', why: 'allocated to a cluster and off: booting it into the installer' };
  }
  if (phase === 'wipe' && (off || on)) {
    if (on && !caps.cycle) return undefined;
    if (!on && !caps.on) return undefined;
    return { action: caps.bootDevice || on ? 'pxe' : 'on', why: 'released from its cluster: booting it into the wipe' };
  }
  if (phase === 'idle' && on && i.mode === 'full' && caps.off) return { action: 'off', why: 'accepted, clean and not in use: powered off until a cluster needs it' };
  return undefined;
}
