/**
 * Which boot file a network-booting client gets: one pure function of its architecture (option 93), user
 * class (option 77), vendor class (option 60) and the per-server or per-class iPXE preference.
 */

/** Whether a server (or its class) wants iPXE's full driver build or the SNP-only build. */
export type IpxePreference = 'ipxe' | 'snponly';

/** The iPXE binary names Metalbox serves (over TFTP, and over HTTP for UEFI HTTP boot). */
export const IPXE_BINARY = {
  bios: 'undionly.kpxe',
  x64: 'ipxe.efi',
  x64Snp: 'snponly.efi',
  arm64: 'ipxe-arm64.efi',
  arm64Snp: 'snponly-arm64.efi',
} as const;

export type IpxeBinaryName = (typeof IPXE_BINARY)[keyof typeof IPXE_BINARY];

/** Client system architectures (RFC 4578 and the IANA registry), for messages. */
export const ARCHITECTURE_NAMES: Record<number, string> = {
  0: 'x86 BIOS',
  1: 'NEC PC-98',
  2: 'Itanium EFI',
  3: 'DEC Alpha',
  4: 'Arc x86',
  5: 'Intel Lean Client',
  6: 'x86 UEFI (32-bit)',
  7: 'x86-64 UEFI',
  8: 'Xscale UEFI',
  9: 'x86-64 UEFI',
  10: 'ARM 32-bit UEFI',
  11: 'ARM 64-bit UEFI',
  12: 'PowerPC Open Firmware',
  13: 'PowerPC ePAPR',
  14: 'POWER OPAL',
  15: 'x86 UEFI HTTP (32-bit)',
  16: 'x86-64 UEFI HTTP',
  17: 'EBC UEFI HTTP',
  18: 'ARM 32-bit UEFI HTTP',
  19: 'ARM 64-bit UEFI HTTP',
  20: 'x86 BIOS HTTP',
  21: 'ARM 32-bit U-Boot',
  22: 'ARM 64-bit U-Boot',
  23: 'ARM 32-bit U-Boot HTTP',
  24: 'ARM 64-bit U-Boot HTTP',
  25: 'RISC-V 32-bit UEFI',
  26: 'RISC-V 32-bit UEFI HTTP',
  27: 'RISC-V 64-bit UEFI',
  28: 'RISC-V 64-bit UEFI HTTP',
};

export function architectureName(arch: number): string {
  return ARCHITECTURE_NAMES[arch] ?? `architecture ${arch}`;
}

export interface BootFileQuery {
  /** Option 93 (first value), undefined when the client sent none. */
  arch: number | undefined;
  /** Option 77 user classes. */
  userClasses: readonly string[];
  /** Option 60 vendor class identifier. */
  vendorClass: string | undefined;
  /** The server's or its class's preference; undefined = the full iPXE build. */
  preference?: IpxePreference | undefined;
  /** The address advertised to clients. */
  address: string;
  /** The HTTP port of the iPXE script and asset server. */
  httpPort: number;
  /** The iPXE binary names that were found at start. */
  available: ReadonlySet<string>;
}

export type BootFileChoice =
  | {
      answer: true;
      /** What goes into BOOTP `file` and option 67: a TFTP file name or an http:// URL. */
      bootFile: string;
      /** How the client will fetch it. */
      via: 'tftp' | 'http';
      /** Option 60 to send back: `PXEClient`, or `HTTPClient` for UEFI HTTP boot. */
      vendorClass: 'PXEClient' | 'HTTPClient';
      /** BIOS PXE ROMs need option 43 discovery control 8. */
      biosPxe: boolean;
      /** A short description for events: `iPXE script`, `UEFI x86-64 ipxe.efi`, ... */
      summary: string;
    }
  | { answer: false; reason: string };

const X64 = new Set([7, 9, 16]);
const ARM64 = new Set([11, 19]);
const HTTP_BOOT = new Set([16, 19]);

/** The iPXE script URL that breaks the chainload loop. Until the boot flow lands it is `/boot.ipxe`. */
export function ipxeScriptUrl(address: string, httpPort: number): string {
  return `http://${address}:${httpPort}/boot.ipxe`;
}

/**
 * The URL of an iPXE binary for UEFI HTTP boot clients: the HTTP server serves the same files as TFTP
 * under `/tftp/`.
 */
export function httpBinaryUrl(address: string, httpPort: number, name: string): string {
  return `http://${address}:${httpPort}/tftp/${name}`;
}

/**
 * The rule, in order:
 * 1. user class `iPXE`: the client already runs iPXE; give it the iPXE script URL (breaks the loop);
 * 2. no option 93: not a network-boot client we understand, not answered;
 * 3. UEFI HTTP boot (93 = 16 or 19, or vendor class `HTTPClient`): an http:// URL to the EFI binary of
 *    its architecture, option 60 `HTTPClient`;
 * 4. BIOS (0): `undionly.kpxe`; UEFI x86-64 (7, 9): `ipxe.efi`, or `snponly.efi` when preferred;
 *    UEFI arm64 (11): `ipxe-arm64.efi`, or `snponly-arm64.efi` when preferred;
 * 5. anything else: not answered, with the architecture's name in the reason.
 * A chosen binary that was not found at start is not offered (the reason says which one is missing).
 */
export function chooseBootFile(q: BootFileQuery): BootFileChoice {
  const biosPxe = q.arch === 0;
  if (q.userClasses.includes('iPXE')) {
    return {
      answer: true,
      bootFile: ipxeScriptUrl(q.address, q.httpPort),
      via: 'http',
      vendorClass: 'PXEClient',
      biosPxe,
      summary: 'iPXE script',
    };
  }
  if (q.arch === undefined) return { answer: false, reason: 'no client architecture (option 93)' };
  const httpBoot = HTTP_BOOT.has(q.arch) || (q.vendorClass ?? '').startsWith('HTTPClient');
  const binary = binaryFor(q.arch, q.preference);
  if (!binary) return { answer: false, reason: `unsupported architecture ${q.arch} (${architectureName(q.arch)})` };
  if (!q.available.has(binary)) {
    return { answer: false, reason: `${binary} for ${architectureName(q.arch)} was not found (see ipxe.paths)` };
  }
  if (httpBoot) {
    if (q.arch === 0) return { answer: false, reason: 'HTTPClient vendor class with BIOS architecture 0' };
    return {
      answer: true,
      bootFile: httpBinaryUrl(q.address, q.httpPort, binary),
      via: 'http',
      vendorClass: 'HTTPClient',
      biosPxe: false,
      summary: `${architectureName(q.arch)} ${binary}`,
    };
  }
  return { answer: true, bootFile: binary, via: 'tftp', vendorClass: 'PXEClient', biosPxe, summary: `${architectureName(q.arch)} ${binary}` };
}

function binaryFor(arch: number, preference: IpxePreference | undefined): IpxeBinaryName | undefined {
  const snp = preference === 'snponly';
  if (arch === 0) return IPXE_BINARY.bios;
  if (X64.has(arch)) return snp ? IPXE_BINARY.x64Snp : IPXE_BINARY.x64;
  if (ARM64.has(arch)) return snp ? IPXE_BINARY.arm64Snp : IPXE_BINARY.arm64;
  return undefined;
}
