/**
 * Varied, SMBIOS-like machines for the demo rack: rack servers, mini PCs and a few odd ones, each with a
 * stable UUID, MACs and serial derived from its number, so a rack of N is the same rack every time.
 */
import { createHash } from 'node:crypto';

export interface SimNic {
  name: string;
  mac: string;
  chip: string;
}

export interface SimHardware {
  index: number;
  uuid: string;
  manufacturer: string;
  product: string;
  version: string;
  serial: string;
  sku: string;
  family: string;
  assetTag: string;
  boardSerial: string;
  cpu: { manufacturer: string; version: string; cores: number; threads: number; speedMHz: number };
  /** MB. */
  memoryMB: number;
  disks: { name: string; type: 'NVMe' | 'SSD' | 'HDD'; bytes: number }[];
  nics: SimNic[];
  /** iPXE's ${buildarch} and ${platform}; option 93 architecture. */
  buildarch: 'i386' | 'x86_64' | 'arm64';
  platform: 'pcbios' | 'efi';
  arch: number;
}

interface Model {
  manufacturer: string;
  product: string;
  family: string;
  cpu: [string, string, number, number, number];
  memoryMB: number[];
  disks: { type: 'NVMe' | 'SSD' | 'HDD'; gb: number }[][];
  nics: number;
  chip: string;
  firmware: ('bios' | 'uefi' | 'arm64')[];
}

const GB = 1024 ** 3;

const MODELS: Model[] = [
  { manufacturer: 'Dell Inc.', product: 'PowerEdge R640', family: 'PowerEdge', cpu: ['Intel(R) Corporation', 'Intel(R) Xeon(R) Gold 6130 CPU @ 2.10GHz', 16, 32, 2100], memoryMB: [131072, 196608], disks: [[{ type: 'SSD', gb: 480 }, { type: 'SSD', gb: 480 }], [{ type: 'NVMe', gb: 1920 }]], nics: 2, chip: 'bnx2x', firmware: ['uefi', 'bios'] },
  { manufacturer: 'HPE', product: 'ProLiant DL360 Gen10', family: 'ProLiant', cpu: ['Intel(R) Corporation', 'Intel(R) Xeon(R) Silver 4214 CPU @ 2.20GHz', 12, 24, 2200], memoryMB: [65536, 98304], disks: [[{ type: 'SSD', gb: 960 }]], nics: 4, chip: 'i40e', firmware: ['uefi'] },
  { manufacturer: 'Supermicro', product: 'SYS-1029P-WTR', family: 'SMC X11', cpu: ['Intel(R) Corporation', 'Intel(R) Xeon(R) Gold 5218 CPU @ 2.30GHz', 16, 32, 2300], memoryMB: [262144], disks: [[{ type: 'NVMe', gb: 3840 }, { type: 'HDD', gb: 8000 }]], nics: 2, chip: 'ixgbe', firmware: ['uefi', 'bios'] },
  { manufacturer: 'Lenovo', product: 'ThinkSystem SR630', family: 'ThinkSystem', cpu: ['Intel(R) Corporation', 'Intel(R) Xeon(R) Silver 4210R CPU @ 2.40GHz', 10, 20, 2400], memoryMB: [65536], disks: [[{ type: 'SSD', gb: 240 }, { type: 'SSD', gb: 1920 }]], nics: 2, chip: 'bnxt', firmware: ['uefi'] },
  { manufacturer: 'Intel(R) Client Systems', product: 'NUC11TNHi5', family: 'TN', cpu: ['Intel(R) Corporation', '11th Gen Intel(R) Core(TM) i5-1135G7 @ 2.40GHz', 4, 8, 2400], memoryMB: [16384, 32768], disks: [[{ type: 'NVMe', gb: 512 }]], nics: 1, chip: 'igc', firmware: ['uefi'] },
  { manufacturer: 'Micro Computer (HK) Tech Limited', product: 'UM790 Pro', family: 'Minisforum', cpu: ['Advanced Micro Devices, Inc.', 'AMD Ryzen 9 7940HS w/ Radeon 780M Graphics', 8, 16, 4000], memoryMB: [32768, 65536], disks: [[{ type: 'NVMe', gb: 1024 }]], nics: 1, chip: 'r8169', firmware: ['uefi'] },
  { manufacturer: 'Raspberry Pi Ltd', product: 'Raspberry Pi 5 Model B', family: 'Raspberry Pi', cpu: ['ARM', 'Cortex-A76', 4, 4, 2400], memoryMB: [8192], disks: [[{ type: 'NVMe', gb: 256 }]], nics: 1, chip: 'macb', firmware: ['arm64'] },
  { manufacturer: 'Hewlett-Packard', product: 'HP EliteDesk 800 G2 DM', family: '103C_53307F G=D', cpu: ['Intel(R) Corporation', 'Intel(R) Core(TM) i5-6500T CPU @ 2.50GHz', 4, 4, 2500], memoryMB: [8192, 16384], disks: [[{ type: 'SSD', gb: 256 }]], nics: 1, chip: 'e1000e', firmware: ['bios', 'uefi'] },
];

function digest(seed: string): Buffer {
  return createHash('sha256').update(seed).digest();
}

/** A UUID (version 4 shape) from a seed. */
export function seededUuid(seed: string): string {
  const b = digest(`uuid:${seed}`);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** A locally administered unicast MAC from a seed. */
export function seededMac(seed: string): string {
  const b = digest(`mac:${seed}`);
  b[0] = (b[0]! & 0xfc) | 0x02;
  return [...b.subarray(0, 6)].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

export function simulatedHardware(index: number, rack = 'demo'): SimHardware {
  const seed = `${rack}/${index}`;
  const d = digest(seed);
  const m = MODELS[index % MODELS.length]!;
  const pick = <T>(list: T[], byte: number): T => list[d[byte]! % list.length]!;
  const fw = pick(m.firmware, 3);
  const serial = `${m.manufacturer.slice(0, 2).toUpperCase()}${d.subarray(4, 8).toString('hex').toUpperCase()}`;
  return {
    index,
    uuid: seededUuid(seed),
    manufacturer: m.manufacturer,
    product: m.product,
    version: `Rev ${1 + (d[9]! % 3)}.0`,
    serial,
    sku: `SKU-${d.subarray(10, 12).toString('hex').toUpperCase()}`,
    family: m.family,
    assetTag: `rack-${rack}-u${String(index + 1).padStart(2, '0')}`,
    boardSerial: `BS${d.subarray(12, 16).toString('hex').toUpperCase()}`,
    cpu: { manufacturer: m.cpu[0], version: m.cpu[1], cores: m.cpu[2], threads: m.cpu[3], speedMHz: m.cpu[4] },
    memoryMB: pick(m.memoryMB, 5),
    disks: pick(m.disks, 6).map((x, i) => ({ name: x.type === 'NVMe' ? `nvme${i}n1` : `sd${String.fromCharCode(97 + i)}`, type: x.type, bytes: x.gb * GB })),
    nics: Array.from({ length: m.nics }, (_, i) => ({ name: `net${i}`, mac: seededMac(`${seed}/nic${i}`), chip: m.chip })),
    buildarch: fw === 'arm64' ? 'arm64' : fw === 'bios' ? 'i386' : 'x86_64',
    platform: fw === 'bios' ? 'pcbios' : 'efi',
    arch: fw === 'arm64' ? 11 : fw === 'bios' ? 0 : 7,
  };
}

/** The hardware as Sidero's Server.spec.hardware shape (for benchmarks that fill a store directly). */
export function serverHardware(h: SimHardware): Record<string, unknown> {
  return {
    system: { uuid: h.uuid, manufacturer: h.manufacturer, productName: h.product, version: h.version, serialNumber: h.serial, skuNumber: h.sku, family: h.family },
    compute: {
      totalCoreCount: h.cpu.cores,
      totalThreadCount: h.cpu.threads,
      processorCount: 1,
      processors: [{ manufacturer: h.cpu.manufacturer, productName: h.cpu.version, speed: h.cpu.speedMHz, coreCount: h.cpu.cores, threadCount: h.cpu.threads }],
    },
    memory: { totalSize: `${Math.floor(h.memoryMB / 1024)} GB` },
    storage: {
      totalSize: `${Math.floor(h.disks.reduce((n, x) => n + x.bytes, 0) / GB)} GB`,
      deviceCount: h.disks.length,
      devices: h.disks.map((x) => ({ type: x.type, size: x.bytes, deviceName: `/dev/${x.name}`, name: x.name })),
    },
    network: { interfaceCount: h.nics.length, interfaces: h.nics.map((n, i) => ({ index: i, name: n.name, mac: n.mac })) },
  };
}
