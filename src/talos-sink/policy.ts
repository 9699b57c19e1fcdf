/**
 * What a Talos event means for the store, as Sidero's events-manager reads it (siderolabs/sidero
 * app/sidero-controller-manager/cmd/events-manager/adapter.go), plus a line for the boot timeline in the
 * operator's words. Pure: the effect is data; apply.ts writes it.
 *
 * | event                                              | ServerBinding conditions                            |
 * |----------------------------------------------------|-----------------------------------------------------|
 * | AddressEvent                                       | spec.addresses and spec.hostname (and the Server's status.addresses) |
 * | ConfigLoadErrorEvent                               | TalosConfigLoaded False, TalosConfigLoadFailed       |
 * | ConfigValidationErrorEvent                         | TalosConfigValidated False, TalosConfigValidationFailed |
 * | phase saveConfig START                             | TalosConfigLoaded, TalosConfigValidated True         |
 * | phase install START                                | TalosInstalled False, TalosInstallationInProgress    |
 * | sequence install NOOP, FATAL error "unix.Reboot"   | TalosInstalled True (the installer's reboot: done)   |
 * | sequence install NOOP, other FATAL error           | TalosInstalled False, TalosInstallationFailed        |
 * | sequence boot START                                | all three True                                       |
 *
 * Talos ends its install sequence by rebooting, which its controller reports as the sequence failing with
 * the reboot "error" `unix.Reboot(...)`; a STOP comes for success and failure alike, so it means nothing
 * here. Installed also marks the Server PXEBooted (Sidero's server controller does that from the binding),
 * which is what turns the next network boot into a boot from disk.
 */
import type { TalosEvent } from './decode.js';

export type SideroCondition = 'TalosConfigLoaded' | 'TalosConfigValidated' | 'TalosInstalled';

export interface ConditionChange {
  type: SideroCondition;
  status: 'True' | 'False';
  reason?: string;
  severity?: 'Error' | 'Info';
  message?: string;
}

export interface Effect {
  conditions: ConditionChange[];
  addresses?: { hostname: string; addresses: string[] };
  /** Talos says it is installed: the Server gets PXEBooted True. */
  installed?: boolean;
  /** A line for the boot timeline; absent for the chatty events (tasks, most service changes). */
  note?: { phase: string; detail?: string };
}

const TRUE = (type: SideroCondition): ConditionChange => ({ type, status: 'True' });

/** Talos's phase names in the operator's words (unknown ones are shown by name). */
const PHASE_WORDS: Readonly<Record<string, string>> = {
  logger: 'setting up logging',
  systemRequirements: 'checking system requirements',
  integrity: 'setting up integrity checks',
  etc: 'writing system files',
  mountSystem: 'mounting the system partition',
  unmountSystem: 'unmounting the system partition',
  config: 'loading the machine config',
  validateConfig: 'checking the machine config',
  env: 'setting environment variables',
  containerd: 'starting containerd',
  install: 'writing Talos to the disk',
  saveStateEncryptionConfig: 'saving the disk encryption settings',
  mountState: 'mounting the STATE partition',
  saveConfig: 'saving the machine config',
  unmountState: 'unmounting the STATE partition',
  stopEverything: 'stopping services',
  mountBoot: 'mounting the boot partition',
  kexec: 'preparing to start the installed kernel',
  unmountBoot: 'unmounting the boot partition',
  reboot: 'rebooting',
  shutdown: 'powering off',
  ephemeral: 'mounting the EPHEMERAL partition',
  verifyInstall: 'checking the installation',
  var: 'setting up /var',
  overlay: 'mounting overlays',
  udevd: 'starting udevd',
  userDisks: 'mounting user disks',
  userSetup: 'writing user files',
  lvm: 'activating LVM volumes',
  startEverything: 'starting services',
  labelMaster: 'labelling the control plane node',
  uncordon: 'uncordoning the node',
  bootloader: 'updating the bootloader',
  etcd: 'bootstrapping etcd',
  cleanup: 'stopping pods',
  drain: 'draining the node',
  leave: 'leaving etcd',
  reset: 'wiping the system disk',
  upgrade: 'upgrading',
};

/** Talos's sequence names in the operator's words. */
const SEQUENCE_WORDS: Readonly<Record<string, string>> = {
  initialize: 'initialization',
  install: 'install',
  boot: 'boot',
  bootstrap: 'bootstrap',
  reboot: 'reboot',
  shutdown: 'shutdown',
  reset: 'reset',
  upgrade: 'upgrade',
  stageUpgrade: 'staged upgrade',
  applyConfiguration: 'config change',
};

export function phaseWords(phase: string): string {
  return PHASE_WORDS[phase] ?? `phase ${phase}`;
}

function sequenceWords(sequence: string): string {
  return SEQUENCE_WORDS[sequence] ?? `sequence ${sequence}`;
}

/** The installer's reboot, as Sidero recognises it. */
export function isInstallReboot(e: TalosEvent): boolean {
  return e.kind === 'sequence' && e.sequence === 'install' && e.action === 'NOOP' && e.error?.code === 'FATAL' && e.error.message.includes('unix.Reboot');
}

function sequenceEffect(e: Extract<TalosEvent, { kind: 'sequence' }>): Effect {
  const words = sequenceWords(e.sequence);
  if (isInstallReboot(e)) {
    return { conditions: [TRUE('TalosInstalled')], installed: true, note: { phase: 'install finished', detail: 'rebooting into the installed system' } };
  }
  if (e.action === 'START' && e.sequence === 'boot') {
    return { conditions: [TRUE('TalosInstalled'), TRUE('TalosConfigValidated'), TRUE('TalosConfigLoaded')], installed: true, note: { phase: 'boot started', detail: 'Talos runs from its disk' } };
  }
  if (e.action === 'START') return { conditions: [], note: { phase: `${words} started` } };
  if (e.action === 'STOP' || !e.error) return { conditions: [] };
  if (e.error.code === 'LOCKED') return { conditions: [], note: { phase: `${words} not started`, detail: 'another sequence is running' } };
  if (e.error.code === 'CANCELED') return { conditions: [], note: { phase: `${words} canceled` } };
  const note = { phase: `${words} failed`, detail: e.error.message };
  if (e.sequence !== 'install') return { conditions: [], note };
  return { conditions: [{ type: 'TalosInstalled', status: 'False', reason: 'TalosInstallationFailed', severity: 'Error', message: e.error.message }], note };
}

function phaseEffect(e: Extract<TalosEvent, { kind: 'phase' }>): Effect {
  if (e.action !== 'START') return { conditions: [] };
  const note = { phase: phaseWords(e.phase), detail: `(${e.phase})` };
  if (e.phase === 'install') return { conditions: [{ type: 'TalosInstalled', status: 'False', reason: 'TalosInstallationInProgress', severity: 'Info' }], note };
  if (e.phase === 'saveConfig') return { conditions: [TRUE('TalosConfigValidated'), TRUE('TalosConfigLoaded')], note };
  return { conditions: [], note };
}

function machineStatusNote(e: Extract<TalosEvent, { kind: 'machine-status' }>): Effect['note'] {
  const stage = e.stage.toLowerCase().replace(/_/g, ' ');
  if (e.ready) return { phase: `machine ${stage}`, detail: 'ready' };
  const unmet = e.unmet.map((u) => `${u.name}${u.reason ? ` (${u.reason})` : ''}`).join(', ');
  return { phase: `machine ${stage}`, ...(unmet ? { detail: `waiting for ${unmet}` } : {}) };
}

export function effectOf(e: TalosEvent): Effect {
  switch (e.kind) {
    case 'sequence':
      return sequenceEffect(e);
    case 'phase':
      return phaseEffect(e);
    case 'task':
      return { conditions: [] };
    case 'service':
      return e.action === 'FAILED' ? { conditions: [], note: { phase: `service ${e.service} failed`, ...(e.message ? { detail: e.message } : {}) } } : { conditions: [] };
    case 'address':
      return { conditions: [], addresses: { hostname: e.hostname, addresses: e.addresses }, note: { phase: 'addresses', detail: `${e.hostname || '(no hostname)'}: ${e.addresses.join(', ') || 'none'}` } };
    case 'config-load-error':
      return { conditions: [{ type: 'TalosConfigLoaded', status: 'False', reason: 'TalosConfigLoadFailed', severity: 'Error', message: e.error }], note: { phase: 'config load failed', detail: e.error } };
    case 'config-validation-error':
      return { conditions: [{ type: 'TalosConfigValidated', status: 'False', reason: 'TalosConfigValidationFailed', severity: 'Error', message: e.error }], note: { phase: 'config validation failed', detail: e.error } };
    case 'machine-status':
      return { conditions: [], note: machineStatusNote(e) };
  }
}
