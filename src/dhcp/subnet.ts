/**
 * IPv4 arithmetic and the provisioning subnet: pure functions, no sockets.
 */
import { isIPv4 } from 'node:net';

/** The provisioning network as the DHCP and TFTP services see it. */
export interface SubnetInfo {
  /** Interface name, when known (informational: Node cannot bind a UDP socket to one interface). */
  interface?: string;
  /** This box's address on the network. */
  address: string;
  /** Prefix length, e.g. 24. */
  prefix: number;
  /** Dotted netmask, e.g. 255.255.255.0. */
  netmask: string;
  /** Network address, e.g. 10.77.0.0. */
  network: string;
  /** Directed broadcast address, e.g. 10.77.0.255: where replies to unaddressed clients go. */
  broadcast: string;
}

export function ipToInt(a: string): number {
  const p = a.split('.');
  return ((Number(p[0]) << 24) | (Number(p[1]) << 16) | (Number(p[2]) << 8) | Number(p[3])) >>> 0;
}

export function intToIp(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

export function prefixToNetmask(prefix: number): string {
  return intToIp(prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);
}

export function netmaskToPrefix(mask: string): number {
  let n = ipToInt(mask);
  let bits = 0;
  while (n & 0x80000000) {
    bits++;
    n = (n << 1) >>> 0;
  }
  return bits;
}

/** The subnet an address with a prefix length belongs to. */
export function subnetOf(address: string, prefix: number, iface?: string): SubnetInfo {
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const a = ipToInt(address);
  const net = (a & mask) >>> 0;
  const bcast = (net | (~mask >>> 0)) >>> 0;
  const info: SubnetInfo = {
    address,
    prefix,
    netmask: intToIp(mask),
    network: intToIp(net),
    broadcast: intToIp(bcast),
  };
  if (iface !== undefined) info.interface = iface;
  return info;
}

/** Parse `10.77.0.1/24` into a subnet, or undefined. */
export function parseCidr(cidr: string): SubnetInfo | undefined {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d{1,2})$/.exec(cidr.trim());
  if (!m || !isIPv4(m[1]!) || Number(m[2]) > 32) return undefined;
  return subnetOf(m[1]!, Number(m[2]));
}

export function inSubnet(address: string, subnet: SubnetInfo): boolean {
  if (!isIPv4(address)) return false;
  const mask = ipToInt(subnet.netmask);
  return ((ipToInt(address) & mask) >>> 0) === ipToInt(subnet.network);
}

export const ZERO_IP = '0.0.0.0';
