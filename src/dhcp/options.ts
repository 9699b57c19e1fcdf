/**
 * Typed reading and writing of the DHCP options Metalbox cares about (RFC 2132, RFC 3004, RFC 3046,
 * RFC 4578, PXE 2.1). Pure functions over the raw option map of `codec.ts`.
 */
import type { DhcpMessageName } from '../events/index.js';
import type { DhcpOptions, DhcpPacket } from './codec.js';
import { intToIp, ipToInt } from './subnet.js';

export const OPT = {
  subnetMask: 1,
  router: 3,
  dns: 6,
  hostname: 12,
  domainName: 15,
  broadcast: 28,
  vendorSpecific: 43,
  requestedAddress: 50,
  leaseTime: 51,
  messageType: 53,
  serverId: 54,
  parameterRequestList: 55,
  message: 56,
  maxMessageSize: 57,
  renewalTime: 58,
  rebindingTime: 59,
  vendorClass: 60,
  clientId: 61,
  tftpServerName: 66,
  bootFileName: 67,
  userClass: 77,
  relayAgentInfo: 82,
  clientArch: 93,
  clientNdi: 94,
  clientMachineId: 97,
} as const;

const MESSAGE_NAMES: Record<number, DhcpMessageName> = {
  1: 'DISCOVER',
  2: 'OFFER',
  3: 'REQUEST',
  4: 'DECLINE',
  5: 'ACK',
  6: 'NAK',
  7: 'RELEASE',
  8: 'INFORM',
};
const MESSAGE_CODES = Object.fromEntries(Object.entries(MESSAGE_NAMES).map(([k, v]) => [v, Number(k)])) as Record<
  DhcpMessageName,
  number
>;

/** The DHCP message type (option 53), or undefined for plain BOOTP or an unknown type. */
export function messageType(p: DhcpPacket): DhcpMessageName | undefined {
  const v = p.options.get(OPT.messageType);
  return v && v.length >= 1 ? MESSAGE_NAMES[v[0]!] : undefined;
}

export function setMessageType(options: DhcpOptions, name: DhcpMessageName): void {
  options.set(OPT.messageType, Buffer.from([MESSAGE_CODES[name]]));
}

export function getIp(p: DhcpPacket, code: number): string | undefined {
  const v = p.options.get(code);
  return v && v.length === 4 ? intToIp(v.readUInt32BE(0)) : undefined;
}

export function ipBytes(...ips: string[]): Buffer {
  const b = Buffer.alloc(4 * ips.length);
  ips.forEach((ip, i) => b.writeUInt32BE(ipToInt(ip), 4 * i));
  return b;
}

export function u32Bytes(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

export function getString(p: DhcpPacket, code: number): string | undefined {
  const v = p.options.get(code);
  if (!v) return undefined;
  const end = v.indexOf(0);
  return v.subarray(0, end === -1 ? v.length : end).toString('latin1');
}

/** Option 93: the client's architectures (RFC 4578); the first is the one that matters. */
export function clientArchitectures(p: DhcpPacket): number[] | undefined {
  const v = p.options.get(OPT.clientArch);
  if (!v || v.length < 2) return undefined;
  const out: number[] = [];
  for (let i = 0; i + 1 < v.length; i += 2) out.push(v.readUInt16BE(i));
  return out;
}

/**
 * Option 77 user classes. RFC 3004 says length-prefixed items, but iPXE and many firmwares send one raw
 * string ("iPXE"); both are accepted.
 */
export function userClasses(p: DhcpPacket): string[] {
  const v = p.options.get(OPT.userClass);
  if (!v || v.length === 0) return [];
  const items: string[] = [];
  let i = 0;
  while (i < v.length) {
    const len = v[i]!;
    if (len === 0 || i + 1 + len > v.length) return [v.toString('latin1')];
    items.push(v.subarray(i + 1, i + 1 + len).toString('latin1'));
    i += 1 + len;
  }
  return items;
}

/** Option 97: the 17-byte client machine identifier (type 0 + UUID), if well formed. */
export function clientMachineId(p: DhcpPacket): Buffer | undefined {
  const v = p.options.get(OPT.clientMachineId);
  return v && v.length === 17 && v[0] === 0 ? v : undefined;
}

/** Option 55 as a list of codes. */
export function parameterRequestList(p: DhcpPacket): number[] {
  return [...(p.options.get(OPT.parameterRequestList) ?? [])];
}

/** Option 57, at least the RFC minimum of 576. */
export function maxMessageSize(p: DhcpPacket): number {
  const v = p.options.get(OPT.maxMessageSize);
  return v && v.length === 2 ? Math.max(576, v.readUInt16BE(0)) : 576;
}

/** Vendor-encapsulated sub-options (option 43 or 82): code, length, value; PAD and END tolerated. */
export function decodeSubOptions(v: Buffer): Map<number, Buffer> | undefined {
  const out = new Map<number, Buffer>();
  let i = 0;
  while (i < v.length) {
    const code = v[i]!;
    if (code === 0) {
      i++;
      continue;
    }
    if (code === 255) break;
    if (i + 1 >= v.length) return undefined;
    const len = v[i + 1]!;
    if (i + 2 + len > v.length) return undefined;
    out.set(code, Buffer.from(v.subarray(i + 2, i + 2 + len)));
    i += 2 + len;
  }
  return out;
}

export function encodeSubOptions(subs: Map<number, Buffer>, withEnd = true): Buffer {
  const parts: Buffer[] = [];
  for (const [code, value] of subs) parts.push(Buffer.from([code, value.length]), value.subarray(0, 255));
  if (withEnd) parts.push(Buffer.from([255]));
  return Buffer.concat(parts);
}

/** PXE 2.1 vendor option 43 sub-option 6 (discovery control). */
export const PXE_DISCOVERY_CONTROL = 6;
/**
 * Discovery control 8: "use the boot file name in this packet, skip boot server discovery". It stops BIOS
 * PXE ROMs from multicasting and from asking a boot server on 4011.
 */
export const PXE_BOOT_FROM_FILENAME = 8;

/** Option 43 for BIOS PXE clients: discovery control = 8. */
export function pxeDiscoveryControlOption(): Buffer {
  return encodeSubOptions(new Map([[PXE_DISCOVERY_CONTROL, Buffer.from([PXE_BOOT_FROM_FILENAME])]]));
}
