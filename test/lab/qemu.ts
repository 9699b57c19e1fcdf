/**
 * QEMU VMs on a lab segment: x86-64 under TCG (no KVM needed), a tap on the segment's bridge, the serial
 * console in a file, QMP on a unix socket, SMBIOS values for what iPXE reports.
 *
 * - `firmware: 'bios'`: SeaBIOS, NIC e1000 with its default option ROM (iPXE, package ipxe-qemu), `-boot n`;
 *   SeaBIOS's serial console mirrors the screen (and so iPXE's messages) into the serial log.
 * - `firmware: 'uefi'`: OVMF on q35 (package ovmf), NIC virtio-net-pci with `romfile=` empty so the
 *   firmware's own PXE stack boots; NVRAM is a private copy.
 * - `kernel`: direct kernel boot instead of network boot (for a stand-in OS).
 */
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Socket, connect } from 'node:net';
import type { Lab, Segment } from './lab.js';
import type { LabProcess } from './process.js';
import { sleep, waitUntil } from './sh.js';

export const OVMF_CODE = '/usr/share/OVMF/OVMF_CODE_4M.fd';
export const OVMF_VARS = '/usr/share/OVMF/OVMF_VARS_4M.fd';

export interface SmbiosValues {
  /** type 1 (system): manufacturer, product, version, serial, uuid, sku, family. */
  type1?: Record<string, string>;
  /** type 4 (processor): manufacturer, version, ... */
  type4?: Record<string, string>;
}

export interface VmOptions {
  firmware: 'bios' | 'uefi';
  mac: string;
  name?: string;
  /** NIC model; default e1000 (bios) or virtio-net-pci (uefi). */
  nic?: string;
  /** Option ROM file; undefined = QEMU's default for the NIC, '' = none (firmware PXE). Default: '' for uefi. */
  romfile?: string;
  smbios?: SmbiosValues;
  memoryMb?: number;
  kernel?: { kernel: string; initrd?: string; append?: string };
  /** End QEMU instead of rebooting (default true). */
  noReboot?: boolean;
  extraArgs?: string[];
}

export class Vm {
  constructor(
    readonly proc: LabProcess,
    readonly serialFile: string,
    readonly qmpPath: string,
  ) {}

  /** The serial console so far. */
  serial(): string {
    try {
      return readFileSync(this.serialFile, 'latin1');
    } catch {
      return '';
    }
  }

  waitForSerial(re: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    return waitUntil(() => this.serial().match(re) ?? (this.proc.running ? undefined : failExited(this)), timeoutMs, `${re} on the serial console`, 500).catch((e: Error) => {
      throw new Error(`${e.message}\n--- serial ---\n${this.serial().slice(-4000)}\n${this.proc.output()}`);
    });
  }

  /** A QMP session (capabilities negotiated). */
  async qmp(): Promise<Qmp> {
    await waitUntil(() => existsSync(this.qmpPath), 10_000, 'the QMP socket');
    return Qmp.connect(this.qmpPath);
  }

  /** Power off (QMP quit), falling back to killing QEMU. */
  async stop(): Promise<void> {
    if (!this.proc.running) return;
    try {
      const q = await this.qmp();
      await q.execute('quit').catch(() => undefined);
      q.close();
    } catch {
      // fall through to the signal
    }
    await Promise.race([this.proc.exited, sleep(3000)]);
    await this.proc.stop(2000);
  }
}

function failExited(vm: Vm): never {
  throw new Error(`QEMU exited (${vm.proc.output().slice(-2000)})`);
}

function smbiosArgs(s: SmbiosValues | undefined): string[] {
  const out: string[] = [];
  for (const [type, values] of [[1, s?.type1], [4, s?.type4]] as const) {
    if (!values) continue;
    const fields = Object.entries(values).map(([k, v]) => `${k}=${v.replace(/,/g, ',,')}`);
    out.push('-smbios', [`type=${type}`, ...fields].join(','));
  }
  return out;
}

/** Start a VM on `segment` (QEMU runs inside the segment's namespace, where its tap is). */
export async function startVm(lab: Lab, segment: Segment, o: VmOptions): Promise<Vm> {
  const name = o.name ?? `vm-${o.mac.replace(/:/g, '')}`;
  const tap = await lab.tap(segment);
  const serialFile = join(lab.dir, `${name}.serial.log`);
  const qmpPath = join(lab.dir, `${name}.qmp`);
  const uefi = o.firmware === 'uefi';
  const nic = o.nic ?? (uefi ? 'virtio-net-pci' : 'e1000');
  const romfile = o.romfile ?? (uefi ? '' : undefined);
  const device = [nic, 'netdev=n0', `mac=${o.mac}`, ...(romfile !== undefined ? [`romfile=${romfile}`] : []), ...(o.kernel ? [] : ['bootindex=1'])];
  const args = [
    '-accel', 'tcg',
    '-m', String(o.memoryMb ?? 256),
    '-display', 'none',
    '-vga', 'none',
    '-monitor', 'none',
    '-serial', `file:${serialFile}`,
    '-qmp', `unix:${qmpPath},server=on,wait=off`,
    '-netdev', `tap,id=n0,ifname=${tap},script=no,downscript=no`,
    '-device', device.join(','),
    ...smbiosArgs(o.smbios),
    ...(o.noReboot === false ? [] : ['-no-reboot']),
  ];
  if (uefi) {
    const vars = join(lab.dir, `${name}.vars.fd`);
    copyFileSync(OVMF_VARS, vars);
    args.push('-machine', 'q35', '-drive', `if=pflash,format=raw,unit=0,readonly=on,file=${OVMF_CODE}`, '-drive', `if=pflash,format=raw,unit=1,file=${vars}`);
  } else {
    // SeaBIOS mirrors the text screen to this serial port (a little-endian integer file), so iPXE's
    // messages land in the log.
    const sercon = join(lab.dir, 'sercon-port.bin');
    writeFileSync(sercon, Buffer.from([0xf8, 0x03]));
    args.push('-fw_cfg', `name=etc/sercon-port,file=${sercon}`);
  }
  if (o.kernel) {
    args.push('-kernel', o.kernel.kernel);
    if (o.kernel.initrd) args.push('-initrd', o.kernel.initrd);
    if (o.kernel.append) args.push('-append', o.kernel.append);
  } else if (!uefi) args.push('-boot', 'n');
  args.push(...(o.extraArgs ?? []));
  const proc = lab.spawn(`qemu-${name}`, segment, 'qemu-system-x86_64', args);
  return new Vm(proc, serialFile, qmpPath);
}

/** A minimal QMP client: `execute(command, args)` resolves with `return`, rejects with `error`. */
export class Qmp {
  private buffered = '';
  private readonly queue: { resolve: (v: unknown) => void; reject: (e: Error) => void }[] = [];
  readonly events: { event: string; data?: unknown }[] = [];

  private constructor(private readonly sock: Socket) {
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => this.onData(d));
    sock.on('error', () => undefined);
  }

  static async connect(path: string): Promise<Qmp> {
    const sock = connect(path);
    await new Promise<void>((resolve, reject) => {
      sock.once('connect', () => resolve());
      sock.once('error', reject);
    });
    const q = new Qmp(sock);
    await q.next(); // the greeting
    await q.execute('qmp_capabilities');
    return q;
  }

  private next(): Promise<unknown> {
    return new Promise((resolve, reject) => this.queue.push({ resolve, reject }));
  }

  private onData(d: string): void {
    this.buffered += d;
    let nl: number;
    while ((nl = this.buffered.indexOf('\n')) >= 0) {
      const line = this.buffered.slice(0, nl).trim();
      this.buffered = this.buffered.slice(nl + 1);
      if (!line) continue;
      const msg = JSON.parse(line) as { event?: string; data?: unknown; return?: unknown; error?: { desc: string }; QMP?: unknown };
      if (msg.event) {
        this.events.push({ event: msg.event, data: msg.data });
        continue;
      }
      const w = this.queue.shift();
      if (!w) continue;
      if (msg.error) w.reject(new Error(`QMP: ${msg.error.desc}`));
      else w.resolve(msg.return ?? msg.QMP);
    }
  }

  execute(command: string, args?: Record<string, unknown>): Promise<unknown> {
    const p = this.next();
    this.sock.write(`${JSON.stringify(args ? { execute: command, arguments: args } : { execute: command })}\n`);
    return p;
  }

  close(): void {
    this.sock.destroy();
  }
}
