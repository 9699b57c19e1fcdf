/** The controller's record of one server: its driver, and what the driver was built from. */
import { annotations as A, type Resource, type Server } from '../api/index.js';
import type { Store } from '../store/index.js';
import type { MetalboxError } from '../util/errors.js';
import { RedfishDriver } from './redfish/driver.js';
import { normalizeFingerprint } from './redfish/tls.js';
import type { LastStep, Phase } from './lifecycle.js';
import type { BootOptions, PowerDriver } from './types.js';

export interface Entry {
  key: string;
  driver: PowerDriver | undefined;
  /** Why there is no driver (bad configuration, ipmitool missing), shown as the reason of `unknown`. */
  problem: MetalboxError | undefined;
  timer: NodeJS.Timeout | undefined;
  reason: string | undefined;
  /** The driver's certificate pin has been seen recorded on the Server. */
  pinRecorded?: boolean;
  /** The server's lifecycle phase when last seen, and the last lifecycle step taken (lifecycle.ts). */
  phase?: Phase;
  last?: LastStep;
}

/** Everything a server's driver is built from; a change rebuilds the driver. */
export function driverKey(s: Server, store: Pick<Store, 'get'>): string {
  // The pin is left out: recording the certificate trust-on-first-use just pinned must not rebuild the
  // driver (which holds that pin already); an operator's change of the pin is caught by keepsPin().
  const ann = Object.entries(s.metadata.annotations ?? {}).filter(([k]) => k.startsWith('metalbox.dev/') && k !== A.BMC_CERT_SHA256);
  const refs = [s.spec?.bmc?.userFrom?.secretKeyRef, s.spec?.bmc?.passFrom?.secretKeyRef].map((r) =>
    r ? (store.get<Resource>('Secret', r.name, r.namespace || 'default')?.metadata.resourceVersion ?? 'absent') : '',
  );
  const macs = s.spec?.hardware?.network?.interfaces?.map((i) => i.mac) ?? [];
  return JSON.stringify([s.spec?.bmc ?? null, ann, refs, macs, s.spec?.hostname ?? '']);
}

/**
 * Whether a Redfish driver's pin still agrees with the server's annotation: the same fingerprint, or no
 * annotation yet because the one just learnt is still being recorded. An annotation the operator changed
 * or removed (after it was recorded) means a new driver.
 */
export function keepsPin(entry: Entry, pin: string | undefined): boolean {
  const driver = entry.driver;
  if (!(driver instanceof RedfishDriver)) return true;
  if (!pin) return !entry.pinRecorded;
  let wanted: string;
  try {
    wanted = normalizeFingerprint(pin);
  } catch {
    return false;
  }
  if (driver.fingerprint !== wanted) return false;
  entry.pinRecorded = true;
  return true;
}

/** Sidero's `spec.pxeMode`: `uefi` sets the EFI boot flag, `bios` clears it, unset leaves the BMC alone. */
export function bootOptionsOf(s: Server): BootOptions {
  const mode = s.spec?.pxeMode;
  return mode === 'uefi' ? { uefi: true } : mode === 'bios' ? { uefi: false } : {};
}
