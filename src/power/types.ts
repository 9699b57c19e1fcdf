import type { PowerState } from '../events/index.js';

export type { PowerState };

/** What a server boots next. */
export type BootDevice = 'pxe' | 'disk';

export interface BootOptions {
  /**
   * UEFI (true) or legacy BIOS (false) boot; undefined leaves the BMC's mode alone (Sidero's
   * `pxeMode: ""`).
   */
  uefi?: boolean;
  /** Every boot (true) or only the next one (false, the default). */
  persistent?: boolean;
}

export type DriverName = 'ipmi' | 'redfish' | 'wol' | 'qemu' | 'manual' | 'none';
export const DRIVER_NAMES: readonly DriverName[] = ['ipmi', 'redfish', 'wol', 'qemu', 'manual', 'none'];

/** What a driver can do, so that callers skip what a driver cannot (Wake-on-LAN cannot power off). */
export interface DriverCapabilities {
  /** `status()` reads the real power state. */
  status: boolean;
  on: boolean;
  off: boolean;
  cycle: boolean;
  soft: boolean;
  bootDevice: boolean;
}

/**
 * One way of driving a server's power. Every call is bounded by the driver's timeout and fails with a
 * MetalboxError whose code is one of POWER_ERROR_CODES. A driver talks to one server.
 */
export interface PowerDriver {
  readonly name: DriverName;
  /** Where it talks to, for messages: `ipmi 10.0.0.25:623`. Never holds a credential. */
  readonly target: string;
  readonly capabilities: DriverCapabilities;
  status(): Promise<PowerState>;
  on(): Promise<void>;
  off(): Promise<void>;
  cycle(): Promise<void>;
  /** Ask the operating system to shut down (ACPI power button). */
  soft(): Promise<void>;
  setBootDevice(device: BootDevice, opts?: BootOptions): Promise<void>;
  /** Connectivity check: talk to the BMC and say what answered (drivers that can). */
  check?(): Promise<string>;
  /** Release sessions and sockets. */
  close(): Promise<void>;
}

export const ALL_CAPABILITIES: DriverCapabilities = { status: true, on: true, off: true, cycle: true, soft: true, bootDevice: true };
export const NO_CAPABILITIES: DriverCapabilities = { status: false, on: false, off: false, cycle: false, soft: false, bootDevice: false };
