/**
 * Discovery: what iPXE reported, written into `Server.spec.hardware` in Sidero's shape, and refreshed on
 * every boot. Facts iPXE cannot see (memory, disks, the other CPUs) are kept as they were; the NICs iPXE
 * reports are merged by MAC, so addresses another source recorded survive.
 */
import type { HardwareInformation, NetworkInterface, Processor } from '../api/index.js';
import type { BootFacts } from './facts.js';

function withoutEmpty<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== '' && v !== undefined) out[k] = v;
  return out as T;
}

function firstProcessor(f: BootFacts, before: Processor | undefined): Processor {
  const p: Processor = withoutEmpty({
    ...before,
    manufacturer: f.cpu.manufacturer || before?.manufacturer,
    productName: f.cpu.version || before?.productName,
    coreCount: f.cpu.coreCount ?? before?.coreCount,
    threadCount: f.cpu.threadCount ?? before?.threadCount,
    speed: f.cpu.speed ?? before?.speed,
  });
  return p;
}

function interfaces(f: BootFacts, before: NetworkInterface[]): NetworkInterface[] {
  const out = before.map((i) => ({ ...i }));
  f.macs.forEach((mac, index) => {
    const hit = out.find((i) => i.mac?.toLowerCase() === mac);
    if (hit) {
      hit.mac = mac;
      hit.index = index;
    } else out.push({ index, mac });
  });
  return out;
}

/** The hardware to store: `before` (what the Server has) refreshed with what iPXE reported now. */
export function hardwareFromFacts(f: BootFacts, before: HardwareInformation = {}): HardwareInformation {
  const hw: HardwareInformation = structuredClone(before);
  hw.system = withoutEmpty({
    ...before.system,
    uuid: f.uuid || before.system?.uuid,
    manufacturer: f.system.manufacturer || before.system?.manufacturer,
    productName: f.system.productName || before.system?.productName,
    version: f.system.version || before.system?.version,
    serialNumber: f.system.serialNumber || before.system?.serialNumber,
    skuNumber: f.system.skuNumber || before.system?.skuNumber,
    family: f.system.family || before.system?.family,
  });
  const cpu = firstProcessor(f, before.compute?.processors?.[0]);
  if (Object.keys(cpu).length > 0) {
    const rest = before.compute?.processors?.slice(1) ?? [];
    hw.compute = { ...before.compute, processors: [cpu, ...rest] };
  }
  const nics = interfaces(f, before.network?.interfaces ?? []);
  hw.network = { ...before.network, interfaceCount: nics.length, interfaces: nics };
  return hw;
}

/** The MACs recorded for a server (Sidero's hardware.network.interfaces[].mac), lowercase. */
export function serverMacs(hw: HardwareInformation | undefined): string[] {
  const out: string[] = [];
  for (const i of hw?.network?.interfaces ?? []) {
    const m = i.mac?.toLowerCase().replaceAll('-', ':');
    if (m && !out.includes(m)) out.push(m);
  }
  return out;
}

/** What iPXE reported that Sidero's hardware shape has no field for; kept in an annotation. */
export interface BootFactsNote {
  arch: string;
  platform: string;
  assetTag?: string;
  boardSerial?: string;
  nic?: { name?: string; mac: string; chip?: string; busId?: string };
  /** Set when the machine is known by its MAC because its UUID cannot be trusted. */
  identity?: string;
}

export function bootFactsNote(f: BootFacts, identity: string | undefined): BootFactsNote {
  const nic = withoutEmpty({ name: f.nic, mac: f.mac, chip: f.nicChip, busId: f.nicBusId });
  return withoutEmpty({
    arch: f.buildarch,
    platform: f.platform,
    assetTag: f.assetTag,
    boardSerial: f.boardSerial,
    nic,
    identity,
  });
}
