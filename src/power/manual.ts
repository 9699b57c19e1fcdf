import type { EventBus } from '../events/index.js';
import { unsupported } from './errors.js';
import { NO_CAPABILITIES, type BootDevice, type BootOptions, type PowerDriver, type PowerState } from './types.js';

/**
 * No remote control: every action becomes an "operator action needed" event that the console shows
 * ("power on server X now"). The power state is whatever the operator did, so it reads unknown.
 */
export class ManualDriver implements PowerDriver {
  readonly name = 'manual' as const;
  readonly target: string;
  readonly capabilities = { ...NO_CAPABILITIES, on: true, off: true, cycle: true, soft: true, bootDevice: true };

  constructor(
    private readonly server: string,
    private readonly events: EventBus,
    /** How the operator recognises the machine (hostname, rack position), if known. */
    private readonly label?: string,
  ) {
    this.target = `operator at ${this.machine}`;
  }

  private get machine(): string {
    return this.label ? `server ${this.server} (${this.label})` : `server ${this.server}`;
  }

  async status(): Promise<PowerState> {
    return 'unknown';
  }
  async on(): Promise<void> {
    this.ask(`power on ${this.machine} now`);
  }
  async off(): Promise<void> {
    this.ask(`power off ${this.machine} now (hold the power button)`);
  }
  async cycle(): Promise<void> {
    this.ask(`restart ${this.machine} now (power it off, then on)`);
  }
  async soft(): Promise<void> {
    this.ask(`shut down ${this.machine} now (press the power button once)`);
  }
  async setBootDevice(device: BootDevice, opts: BootOptions = {}): Promise<void> {
    const how = device === 'pxe' ? 'from the network (PXE)' : 'from its disk';
    const mode = opts.uefi === undefined ? '' : opts.uefi ? ' in UEFI mode' : ' in legacy BIOS mode';
    this.ask(`make ${this.machine} boot ${how}${mode} ${opts.persistent ? 'from now on' : 'next time'} (boot menu or firmware setup)`);
  }
  async close(): Promise<void> {}

  private ask(request: string): void {
    this.events.emit({ type: 'power.operator', server: this.server, request });
  }
}

/** No power control at all. */
export class NoDriver implements PowerDriver {
  readonly name = 'none' as const;
  readonly target: string;
  readonly capabilities = NO_CAPABILITIES;

  constructor(private readonly server: string) {
    this.target = `server ${server}`;
  }

  async status(): Promise<PowerState> {
    return 'unknown';
  }
  on(): Promise<void> {
    return this.refuse('power on');
  }
  off(): Promise<void> {
    return this.refuse('power off');
  }
  cycle(): Promise<void> {
    return this.refuse('power cycle');
  }
  soft(): Promise<void> {
    return this.refuse('shut down');
  }
  setBootDevice(): Promise<void> {
    return this.refuse('choose its boot device');
  }
  async close(): Promise<void> {}

  private refuse(what: string): Promise<never> {
    return Promise.reject(
      unsupported(
        this.target,
        `${what}: it has no power driver`,
        `give it a BMC (spec.bmc for IPMI) or set the annotation metalbox.dev/power-driver (redfish, wol, qemu or manual) on server ${this.server}`,
      ),
    );
  }
}
