/**
 * The power actions an operator or the lifecycle asks for, on top of a driver: the plain ones, and
 * "boot into the network now" (PXE once, then power on, or cycle if it is on), as Sidero does for
 * install and wipe.
 */
import type { PowerAction } from '../events/index.js';
import type { BootDevice, BootOptions, PowerDriver, PowerState } from './types.js';
import { unsupported } from './errors.js';

export const POWER_ACTIONS: readonly PowerAction[] = ['status', 'on', 'off', 'cycle', 'soft', 'pxe', 'disk'];

export interface ActionResult {
  action: PowerAction;
  /** The power state read by `status`, or before a boot action when the driver can read it. */
  power?: PowerState;
  /** What was done, in order: `boot pxe once uefi`, `on`, `cycle` … */
  steps: string[];
}

/** Run `action` through `driver`. `boot` carries the server's UEFI/BIOS choice for pxe and disk. */
export async function performAction(driver: PowerDriver, action: PowerAction, boot: BootOptions = {}): Promise<ActionResult> {
  const steps: string[] = [];
  switch (action) {
    case 'status':
      return { action, power: await driver.status(), steps };
    case 'on':
    case 'off':
    case 'cycle':
    case 'soft':
      if (!driver.capabilities[action]) throw unsupported(driver.target, action === 'soft' ? 'shut down softly' : `power ${action}`);
      await driver[action]();
      return { action, steps: [action] };
    case 'pxe':
    case 'disk':
      return bootInto(driver, action, boot);
  }
}

/** Set the next boot device (when the driver can), then power on, or cycle a server that is on. */
export async function bootInto(driver: PowerDriver, device: BootDevice, boot: BootOptions = {}): Promise<ActionResult & { action: BootDevice }> {
  const steps: string[] = [];
  if (driver.capabilities.bootDevice) {
    await driver.setBootDevice(device, boot);
    steps.push(`boot ${device} ${boot.persistent ? 'always' : 'once'}${boot.uefi === undefined ? '' : boot.uefi ? ' uefi' : ' bios'}`);
  }
  const power = driver.capabilities.status ? await driver.status() : undefined;
  if (power === 'on' && driver.capabilities.cycle) {
    await driver.cycle();
    steps.push('cycle');
  } else if (power !== 'on' && driver.capabilities.on) {
    await driver.on();
    steps.push('on');
  } else {
    throw unsupported(driver.target, power === 'on' ? 'restart a server that is on' : 'power on');
  }
  return { action: device, ...(power ? { power } : {}), steps };
}
