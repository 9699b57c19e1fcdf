/**
 * What iPXE reports about a machine in the `/ipxe` query (see assets/ipxe/boot.ipxe): identity, firmware,
 * SMBIOS system and first-CPU facts, and the NICs. A pure codec: query parameters in, checked facts out.
 * Anything malformed is dropped or refused here, before it can reach the store or a script.
 */

/** One NIC as iPXE names it (`net0`, `net1`, ...). */
export interface NicFact {
  /** iPXE's name, `net<N>`. */
  name: string;
  /** Lowercase, colon-separated. */
  mac: string;
}

export interface BootFacts {
  /** The SMBIOS UUID in lowercase, or '' when none (or an unreadable one) was reported. */
  uuid: string;
  /** The MAC of the NIC that is booting (lowercase, colon-separated). */
  mac: string;
  /** Every NIC iPXE sees, in its order; always contains `mac`. */
  macs: string[];
  /** iPXE's name of the booting NIC (`net0`), when reported. */
  nic: string;
  /** `${buildarch}`: i386 (BIOS iPXE, also on x86-64 machines), x86_64, arm64 ... */
  buildarch: string;
  /** `${platform}`: pcbios or efi. */
  platform: string;
  system: {
    manufacturer: string;
    productName: string;
    version: string;
    serialNumber: string;
    skuNumber: string;
    family: string;
  };
  /** SMBIOS type 3 asset tag and type 2 board serial (no place for them in Sidero's hardware shape). */
  assetTag: string;
  boardSerial: string;
  /** The first CPU (SMBIOS type 4); counts and speed are absent when the firmware does not say. */
  cpu: { manufacturer: string; version: string; coreCount?: number; threadCount?: number; speed?: number };
  /** The booting NIC's chip and bus id as iPXE reports them. */
  nicChip: string;
  nicBusId: string;
  /** From DHCP, when the network gives them. */
  hostname: string;
  domain: string;
}

export type FactsResult = { ok: true; facts: BootFacts } | { ok: false; reason: string };

/** Longest value kept for any one fact; longer ones are cut. */
export const MAX_FACT_LENGTH = 128;
/** Most NICs recorded for one machine. */
export const MAX_NICS = 16;

const MAC_RE = /^[0-9a-f]{2}([-:][0-9a-f]{2}){5}$/i;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `52-54-00-AB-CD-EF` (iPXE's hexhyp) or colon form to `52:54:00:ab:cd:ef`; undefined when not a MAC. */
export function normalizeMac(text: string): string | undefined {
  const t = text.trim();
  if (!MAC_RE.test(t)) return undefined;
  return t.toLowerCase().replaceAll('-', ':');
}

/** A fact as text: control characters removed, trimmed, cut to MAX_FACT_LENGTH. */
export function cleanText(v: string | null | undefined): string {
  if (!v) return '';
  // eslint-disable-next-line no-control-regex
  return v.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, MAX_FACT_LENGTH);
}

/**
 * A little-endian number from iPXE's `:hex` form (`08`, `b8:0b`); also plain hex digits. SMBIOS uses 0 for
 * "unknown" and 0xff (one byte) for "see the wider field": both give undefined.
 */
export function hexNumber(v: string | null | undefined): number | undefined {
  const t = (v ?? '').trim().toLowerCase();
  if (!t) return undefined;
  let bytes: number[];
  if (t.includes(':')) {
    const parts = t.split(':');
    if (parts.length > 4 || parts.some((p) => !/^[0-9a-f]{1,2}$/.test(p))) return undefined;
    bytes = parts.map((p) => parseInt(p, 16));
  } else {
    if (!/^[0-9a-f]{1,8}$/.test(t)) return undefined;
    return nonZero(parseInt(t, 16), t.length <= 2);
  }
  const value = bytes.reduceRight((acc, b) => acc * 256 + b, 0);
  return nonZero(value, bytes.length === 1);
}

function nonZero(n: number, oneByte: boolean): number | undefined {
  if (n === 0 || (oneByte && n === 0xff) || (!oneByte && n === 0xffff)) return undefined;
  return n;
}

function uuidOf(raw: string): string {
  const t = raw.trim().toLowerCase();
  return UUID_RE.test(t) ? t : '';
}

function macList(raw: string, booting: string): string[] {
  const out: string[] = [];
  for (const part of raw.split(/[,\s]+/)) {
    const m = normalizeMac(part);
    if (m && !out.includes(m)) out.push(m);
    if (out.length >= MAX_NICS) break;
  }
  if (!out.includes(booting)) out.push(booting);
  return out;
}

/**
 * Read the facts from the `/ipxe` query. The booting NIC's MAC is required (it is how a machine without
 * a usable UUID is known); everything else is optional and defaults to empty.
 */
export function parseBootFacts(q: URLSearchParams): FactsResult {
  const mac = normalizeMac(q.get('mac') ?? '');
  if (!mac) return { ok: false, reason: 'the mac parameter is missing or not a MAC address' };
  const get = (k: string) => cleanText(q.get(k));
  const nic = /^net\d{1,2}$/.test(get('nic')) ? get('nic') : '';
  const cpu: BootFacts['cpu'] = { manufacturer: get('cpu-manufacturer'), version: get('cpu-version') };
  const cores = hexNumber(q.get('cpu-cores'));
  const threads = hexNumber(q.get('cpu-threads'));
  const speed = hexNumber(q.get('cpu-speed'));
  if (cores !== undefined) cpu.coreCount = cores;
  if (threads !== undefined) cpu.threadCount = threads;
  if (speed !== undefined) cpu.speed = speed;
  return {
    ok: true,
    facts: {
      uuid: uuidOf(q.get('uuid') ?? ''),
      mac,
      macs: macList(q.get('macs') ?? '', mac),
      nic,
      buildarch: get('arch').toLowerCase(),
      platform: get('platform').toLowerCase(),
      system: {
        manufacturer: get('manufacturer'),
        productName: get('product'),
        version: get('version'),
        serialNumber: get('serial'),
        skuNumber: get('sku'),
        family: get('family'),
      },
      assetTag: get('asset'),
      boardSerial: get('board-serial'),
      cpu,
      nicChip: get('chip'),
      nicBusId: get('busid'),
      hostname: get('hostname'),
      domain: get('domain'),
    },
  };
}

/** The query keys of the facts, for re-asking (`/ipxe?...` from the park script) without trusting raw input. */
export function factsQuery(f: BootFacts): string {
  const p = new URLSearchParams();
  const put = (k: string, v: string | number | undefined) => {
    if (v !== undefined && v !== '') p.set(k, String(v));
  };
  put('uuid', f.uuid);
  put('mac', f.mac.replaceAll(':', '-'));
  put('macs', f.macs.map((m) => m.replaceAll(':', '-')).join(','));
  put('nic', f.nic);
  put('arch', f.buildarch);
  put('platform', f.platform);
  put('manufacturer', f.system.manufacturer);
  put('product', f.system.productName);
  put('version', f.system.version);
  put('serial', f.system.serialNumber);
  put('sku', f.system.skuNumber);
  put('family', f.system.family);
  put('asset', f.assetTag);
  put('board-serial', f.boardSerial);
  put('cpu-manufacturer', f.cpu.manufacturer);
  put('cpu-version', f.cpu.version);
  put('cpu-cores', f.cpu.coreCount?.toString(16));
  put('cpu-threads', f.cpu.threadCount?.toString(16));
  put('cpu-speed', f.cpu.speed?.toString(16));
  put('chip', f.nicChip);
  put('busid', f.nicBusId);
  put('hostname', f.hostname);
  put('domain', f.domain);
  return p.toString();
}

/** The CPU architecture of the Environment a machine needs: BIOS iPXE says i386 on x86-64 machines. */
export function machineArch(buildarch: string): 'amd64' | 'arm64' | undefined {
  switch (buildarch) {
    case 'i386':
    case 'x86_64':
    case 'amd64':
    case '':
      return 'amd64';
    case 'arm64':
    case 'aarch64':
      return 'arm64';
    default:
      return undefined;
  }
}
