/**
 * Packet capture on a lab segment (tcpdump writing a pcap) and a small pcap reader that yields the UDP
 * datagrams with their addresses, for fixtures and for asserting what went over the wire.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Host, Lab, Segment } from './lab.js';
import type { LabProcess } from './process.js';

export interface Capture {
  file: string;
  proc: LabProcess;
  /** Stop tcpdump and read what it captured. */
  stop(): Promise<UdpDatagram[]>;
}

/** tcpdump on `iface` of `where` (br0 of a segment by default) with a BPF filter, e.g. `udp port 67 or udp port 68`. */
export async function startCapture(lab: Lab, where: Segment | Host, filter: string, iface = 'br0', name = 'capture'): Promise<Capture> {
  const file = join(lab.dir, `${name}-${Date.now()}.pcap`);
  const proc = lab.spawn(`tcpdump-${name}`, where, 'tcpdump', ['-i', iface, '-U', '-n', '-s', '0', '-w', file, filter]);
  await proc.waitForOutput(/listening on/, 15_000);
  return {
    file,
    proc,
    async stop() {
      await proc.stop(3000);
      return readPcap(await readFile(file));
    },
  };
}

export interface UdpDatagram {
  /** Seconds since the epoch, with fractions. */
  time: number;
  srcMac: string;
  dstMac: string;
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  payload: Buffer;
}

/** The IPv4/UDP datagrams of a pcap file (Ethernet or Linux cooked captures); everything else is skipped. */
export function readPcap(buf: Buffer): UdpDatagram[] {
  if (buf.length < 24) return [];
  const magicLE = buf.readUInt32LE(0);
  const le = magicLE === 0xa1b2c3d4 || magicLE === 0xa1b23c4d;
  const nano = magicLE === 0xa1b23c4d || buf.readUInt32BE(0) === 0xa1b23c4d;
  const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const linkType = u32(20);
  const out: UdpDatagram[] = [];
  let off = 24;
  while (off + 16 <= buf.length) {
    const time = u32(off) + u32(off + 4) / (nano ? 1e9 : 1e6);
    const len = u32(off + 8);
    const frame = buf.subarray(off + 16, off + 16 + len);
    off += 16 + len;
    const d = linkType === 1 ? parseEthernet(frame) : linkType === 113 ? parseIp(frame.subarray(16), '', '') : undefined;
    if (d) out.push({ time, ...d });
  }
  return out;
}

function mac(b: Buffer): string {
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

function parseEthernet(f: Buffer): Omit<UdpDatagram, 'time'> | undefined {
  if (f.length < 14) return undefined;
  let type = f.readUInt16BE(12);
  let off = 14;
  if (type === 0x8100 && f.length >= 18) {
    type = f.readUInt16BE(16);
    off = 18;
  }
  if (type !== 0x0800) return undefined;
  return parseIp(f.subarray(off), mac(f.subarray(6, 12)), mac(f.subarray(0, 6)));
}

function parseIp(p: Buffer, srcMac: string, dstMac: string): Omit<UdpDatagram, 'time'> | undefined {
  if (p.length < 20 || p[0]! >> 4 !== 4 || p[9] !== 17) return undefined;
  const ihl = (p[0]! & 15) * 4;
  const udp = p.subarray(ihl);
  if (udp.length < 8) return undefined;
  const ipStr = (o: number) => `${p[o]}.${p[o + 1]}.${p[o + 2]}.${p[o + 3]}`;
  const udpLen = udp.readUInt16BE(4);
  return {
    srcMac,
    dstMac,
    src: ipStr(12),
    dst: ipStr(16),
    srcPort: udp.readUInt16BE(0),
    dstPort: udp.readUInt16BE(2),
    payload: Buffer.from(udp.subarray(8, Math.min(udp.length, udpLen))),
  };
}
