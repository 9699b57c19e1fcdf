/**
 * One simulated server: powered on, its firmware asks DHCP for a boot file and fetches it over TFTP; then
 * "iPXE" runs the scripts Metalbox serves, over HTTP from the machine's own loopback address. Told to
 * install, it fetches the kernel, the initrd and its machine config (with the boot token from the kernel
 * arguments), streams a kernel log and reports its install to Metalbox's event sink as Talos does,
 * reboots, and from then on boots from its disk when Metalbox says so.
 */
import { pxeDhcp, type DhcpTarget, type ReplyListener } from './dhcp-client.js';
import type { SimHardware } from './hardware.js';
import { httpGet, sendLines } from './http-client.js';
import { IpxeInterpreter, type IpxeHost, type Outcome } from './ipxe.js';
import { publishEvents, type TalosEventOut } from './talos-client.js';
import { tftpRead } from './tftp-client.js';

export type MachineState = 'off' | 'pxe' | 'tftp' | 'ipxe' | 'parked' | 'installing' | 'rebooting' | 'running' | 'no boot';

export interface MachineEnv {
  dhcp: DhcpTarget;
  replies: ReplyListener;
  tftp: { address: string; port: number };
  /** Seconds in the scripts (park, retries) are divided by this: the tests run the rack faster. */
  speed: number;
  log(machine: number, line: string): void;
  /** The machine's state changed (the demo's own status line). */
  changed?(m: SimulatedMachine): void;
}

const hexByte = (n: number) => Math.max(0, Math.min(255, n)).toString(16).padStart(2, '0');
const hexLe16 = (n: number) => `${hexByte(n & 0xff)}:${hexByte((n >> 8) & 0xff)}`;

/** What iPXE knows about the machine before any DHCP: its settings, as `${...}` reads them. */
export function ipxeSettings(hw: SimHardware): Map<string, string> {
  const s = new Map<string, string>([
    ['uuid', hw.uuid],
    ['buildarch', hw.buildarch],
    ['platform', hw.platform],
    ['manufacturer', hw.manufacturer],
    ['product', hw.product],
    ['serial', hw.serial],
    ['asset', hw.assetTag],
    ['board-serial', hw.boardSerial],
    ['smbios/1.6.0', hw.version],
    ['smbios/1.25.0', hw.sku],
    ['smbios/1.26.0', hw.family],
    ['smbios/4.7.0', hw.cpu.manufacturer],
    ['smbios/4.16.0', hw.cpu.version],
    ['smbios/4.35.1', hexByte(hw.cpu.cores)],
    ['smbios/4.37.1', hexByte(hw.cpu.threads)],
    ['smbios/4.22.2', hexLe16(hw.cpu.speedMHz)],
  ]);
  hw.nics.forEach((n, i) => {
    s.set(`net${i}/mac`, n.mac);
    s.set(`net${i}/chip`, n.chip);
    s.set(`net${i}/busid`, `01:80:86:15:${hexByte(0x30 + i)}`);
  });
  return s;
}

export class SimulatedMachine {
  state: MachineState = 'off';
  /** An OS is on the disk (it installed once). */
  installed = false;
  /** Where the installed "Talos" reports to (from its install's kernel arguments). */
  private sink: { events?: string; log?: string } = {};
  private on = false;
  private generation = 0;
  private wake: (() => void) | undefined;
  readonly log: string[] = [];

  constructor(
    readonly hw: SimHardware,
    /** The machine's own address on loopback. */
    readonly address: string,
    private readonly env: MachineEnv,
  ) {}

  get powered(): boolean {
    return this.on;
  }

  powerOn(): void {
    if (this.on) return;
    this.on = true;
    const gen = ++this.generation;
    void this.life(gen);
  }

  powerOff(): void {
    this.on = false;
    this.generation++;
    this.set('off');
    this.wake?.();
  }

  /** Power cycle: off, then on again (a BMC's cycle, or the operator's reset). */
  reset(): void {
    this.powerOff();
    this.powerOn();
  }

  private alive(gen: number): boolean {
    return this.on && gen === this.generation;
  }

  private set(state: MachineState): void {
    if (this.state === state) return;
    this.state = state;
    this.env.changed?.(this);
  }

  private say(line: string): void {
    this.log.push(line);
    if (this.log.length > 200) this.log.shift();
    this.env.log(this.hw.index, line);
  }

  private sleep(seconds: number, gen: number): Promise<void> {
    return new Promise((resolve) => {
      if (!this.alive(gen)) return resolve();
      const t = setTimeout(done, (seconds * 1000) / this.env.speed);
      this.wake = done;
      function done() {
        clearTimeout(t);
        resolve();
      }
    });
  }

  private addressEvent(): TalosEventOut {
    return { type: 'machine.AddressEvent', value: { hostname: `talos-${this.hw.uuid.slice(0, 8)}`, addresses: [this.address] } };
  }

  private async life(gen: number): Promise<void> {
    while (this.alive(gen)) {
      try {
        const outcome = await this.bootOnce(gen);
        if (!this.alive(gen)) return;
        await this.after(outcome, gen);
      } catch (e) {
        this.say(`firmware error: ${(e as Error).message}`);
        await this.sleep(5, gen);
      }
    }
  }

  /** One pass of the firmware: PXE, TFTP, then iPXE until it boots, exits or gives up. */
  private async bootOnce(gen: number): Promise<Outcome | 'no boot'> {
    const nic = this.hw.nics[0]!;
    this.set('pxe');
    const offer = await pxeDhcp({ mac: nic.mac, uuid: this.hw.uuid, arch: this.hw.arch, address: this.address, ipxe: false }, this.env.dhcp, this.env.replies);
    if (!offer) return 'no boot';
    if (!this.alive(gen)) return 'no boot';
    if (!offer.bootFile.startsWith('http')) {
      this.set('tftp');
      const r = await tftpRead({ address: offer.nextServer, port: this.env.tftp.port }, offer.bootFile, this.address);
      if (!r.ok) {
        this.say(`TFTP ${offer.bootFile}: ${r.error}`);
        return 'no boot';
      }
      this.say(`TFTP ${offer.bootFile}: ${r.bytes} bytes`);
    }
    this.set('ipxe');
    const host = this.ipxeHost(gen);
    const ipxe = new IpxeInterpreter(host);
    if (!(await host.dhcp('net0'))) return 'no boot';
    const first = host.settings.get('filename') ?? '';
    const r = await ipxe.chain(first);
    return r === false ? 'no boot' : r;
  }

  private ipxeHost(gen: number): IpxeHost {
    const settings = ipxeSettings(this.hw);
    return {
      settings,
      dhcp: async (nicName) => {
        const i = Number(nicName.replace(/^net/, '')) || 0;
        const nic = this.hw.nics[i];
        if (!nic) return false;
        const offer = await pxeDhcp({ mac: nic.mac, uuid: this.hw.uuid, arch: this.hw.arch, address: this.address, ipxe: true }, this.env.dhcp, this.env.replies, 3, 1000);
        if (!offer) return false;
        settings.set('filename', offer.bootFile);
        settings.set(`${nicName}/ip`, this.address);
        settings.set('ip', this.address);
        return true;
      },
      fetch: (url) => httpGet(url, this.address),
      sleep: async (seconds) => {
        this.set('parked');
        await this.sleep(seconds, gen);
      },
      log: (line) => this.say(line),
      aborted: () => !this.alive(gen),
    };
  }

  private async after(outcome: Outcome | 'no boot', gen: number): Promise<void> {
    if (outcome === 'no boot' || outcome.kind === 'reboot' || outcome.kind === 'end') {
      this.set('no boot');
      return this.sleep(4, gen);
    }
    if (outcome.kind === 'boot') return this.install(outcome, gen);
    // exit / sanboot: boot from the disk, if there is an OS on it.
    if (!this.installed) {
      this.say('no operating system on the disk');
      this.set('no boot');
      return this.sleep(8, gen);
    }
    this.set('running');
    this.say('booted from disk');
    // The installed system says it booted, as Talos's boot sequence does.
    if (this.sink.events) await publishEvents(this.sink.events, this.address, [this.addressEvent(), { type: 'machine.SequenceEvent', value: { sequence: 'boot', action: 1 } }]);
    // Running until powered off or reset.
    await new Promise<void>((resolve) => {
      this.wake = resolve;
    });
  }

  /** The install environment booted: fetch the machine config, stream a kernel log, install, reboot. */
  private async install(o: Extract<Outcome, { kind: 'boot' }>, gen: number): Promise<void> {
    this.set('installing');
    const arg = (name: string) => o.args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
    const configUrl = arg('talos.config');
    const logSink = arg('talos.logging.kernel');
    const klog = (msg: string) => JSON.stringify({ facility: 'kern', msg, priority: 'info', 'talos-level': 'info', 'talos-time': new Date().toISOString() });
    const logLines = [klog(`Linux version 6.12.0-talos (demo ${this.hw.product})`), klog(`Command line: ${o.args.filter((a) => !a.startsWith('talos.config=')).join(' ')}`)];
    if (logSink) await sendLines(logSink, this.address, logLines);
    if (!configUrl) {
      this.say('no talos.config= in the kernel arguments: a wipe or maintenance boot');
      await this.sleep(6, gen);
      this.set('rebooting');
      return;
    }
    const cfg = await httpGet(configUrl, this.address);
    if (!cfg.ok) {
      this.say(`machine config: HTTP ${cfg.status}`);
      if (logSink) await sendLines(logSink, this.address, [klog(`[talos] failed to fetch the machine config: HTTP ${cfg.status}`)]);
      await this.sleep(10, gen);
      this.set('rebooting');
      return;
    }
    this.say(`machine config: ${cfg.body.length} bytes`);
    const sink = arg('talos.events.sink');
    this.sink = { ...(sink ? { events: sink } : {}), ...(logSink ? { log: logSink } : {}) };
    const report = (events: TalosEventOut[]) => (sink ? publishEvents(sink, this.address, events) : Promise.resolve(false));
    await report([this.addressEvent(), { type: 'machine.PhaseEvent', value: { phase: 'saveConfig', action: 0 } }, { type: 'machine.PhaseEvent', value: { phase: 'install', action: 0 } }]);
    const steps = ['[talos] validating the machine config', '[talos] partitioning the install disk', '[talos] writing the image', '[talos] installing the bootloader', '[talos] install successful, rebooting'];
    for (const s of steps) {
      if (!this.alive(gen)) return;
      if (logSink) await sendLines(logSink, this.address, [klog(s)]);
      await this.sleep(2, gen);
    }
    // Talos ends its install sequence with the reboot, which it reports as the sequence failing with it.
    await report([{ type: 'machine.SequenceEvent', value: { sequence: 'install', action: 0, error: { code: 0, message: 'unix.Reboot(0x1234567)' } } }]);
    this.installed = true;
    this.set('rebooting');
    await this.sleep(2, gen);
  }
}
