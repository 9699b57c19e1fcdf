/**
 * DHCP/BOOTP packet codec (RFC 951, RFC 2131, RFC 2132, RFC 3396): pure functions, no policy, no sockets.
 *
 * Decoding is tolerant: PAD anywhere, a missing END, options split over several instances (concatenated,
 * RFC 3396), and option overload (52) into `file` and `sname` are all accepted. Unknown options are kept
 * in order and re-encoded unchanged. Anything that cannot be a DHCP packet is a value, not a throw.
 */
import { intToIp, ipToInt } from './subnet.js';

export const BOOTREQUEST = 1;
export const BOOTREPLY = 2;
export const MAGIC_COOKIE = 0x63825363;
/** The fixed BOOTP header, up to and including the magic cookie. */
export const HEADER_LENGTH = 240;
/** The smallest reply we send: some old PXE ROMs drop BOOTP replies shorter than 300 bytes. */
export const MIN_PACKET_LENGTH = 300;
export const FLAG_BROADCAST = 0x8000;

export const OPT_PAD = 0;
export const OPT_END = 255;
export const OPT_OVERLOAD = 52;

/** Options by code, in the order they were first seen; values are raw bytes. */
export type DhcpOptions = Map<number, Buffer>;

export interface DhcpPacket {
  op: number;
  htype: number;
  hlen: number;
  hops: number;
  xid: number;
  secs: number;
  flags: number;
  ciaddr: string;
  yiaddr: string;
  siaddr: string;
  giaddr: string;
  /** The 16-byte client hardware address field, as received. */
  chaddr: Buffer;
  /** Server host name (BOOTP `sname`), empty when it carried overloaded options. */
  sname: string;
  /** Boot file name (BOOTP `file`), empty when it carried overloaded options. */
  file: string;
  options: DhcpOptions;
}

export type DecodeResult = { ok: true; packet: DhcpPacket } | { ok: false; reason: string };

export function decodePacket(buf: Buffer): DecodeResult {
  if (buf.length < HEADER_LENGTH - 4) return { ok: false, reason: `too short for BOOTP (${buf.length} bytes)` };
  const op = buf[0]!;
  if (op !== BOOTREQUEST && op !== BOOTREPLY) return { ok: false, reason: `bad op ${op}` };
  const hlen = buf[2]!;
  if (hlen > 16) return { ok: false, reason: `bad hardware address length ${hlen}` };
  const packet: DhcpPacket = {
    op,
    htype: buf[1]!,
    hlen,
    hops: buf[3]!,
    xid: buf.readUInt32BE(4),
    secs: buf.readUInt16BE(8),
    flags: buf.readUInt16BE(10),
    ciaddr: readIp(buf, 12),
    yiaddr: readIp(buf, 16),
    siaddr: readIp(buf, 20),
    giaddr: readIp(buf, 24),
    chaddr: Buffer.from(buf.subarray(28, 44)),
    sname: cString(buf.subarray(44, 108)),
    file: cString(buf.subarray(108, 236)),
    options: new Map(),
  };
  // A plain BOOTP packet has no cookie and no options.
  if (buf.length < HEADER_LENGTH || buf.readUInt32BE(236) !== MAGIC_COOKIE) return { ok: true, packet };
  const main = parseOptionArea(buf.subarray(HEADER_LENGTH), packet.options);
  if (main) return { ok: false, reason: main };
  const overload = packet.options.get(OPT_OVERLOAD)?.[0] ?? 0;
  // RFC 2131 4.1: the `file` field is read before `sname`.
  if (overload & 1) {
    const err = parseOptionArea(buf.subarray(108, 236), packet.options);
    if (err) return { ok: false, reason: `in overloaded file field: ${err}` };
    packet.file = '';
  }
  if (overload & 2) {
    const err = parseOptionArea(buf.subarray(44, 108), packet.options);
    if (err) return { ok: false, reason: `in overloaded sname field: ${err}` };
    packet.sname = '';
  }
  packet.options.delete(OPT_OVERLOAD);
  return { ok: true, packet };
}

/** Parse one option area into `into`, concatenating repeated codes. Returns an error message or ''. */
function parseOptionArea(area: Buffer, into: DhcpOptions): string {
  let i = 0;
  while (i < area.length) {
    const code = area[i]!;
    if (code === OPT_PAD) {
      i++;
      continue;
    }
    if (code === OPT_END) return '';
    if (i + 1 >= area.length) return `option ${code} has no length byte`;
    const len = area[i + 1]!;
    if (i + 2 + len > area.length) return `option ${code} runs past the end (${len} bytes)`;
    const value = area.subarray(i + 2, i + 2 + len);
    const prev = into.get(code);
    into.set(code, prev ? Buffer.concat([prev, value]) : Buffer.from(value));
    i += 2 + len;
  }
  return ''; // a missing END is tolerated
}

export interface EncodeOptions {
  /** Pad the packet to at least this many bytes (default 300). */
  minLength?: number;
}

/**
 * Encode a packet. Options go in the options field in map order, each split into 255-byte pieces when
 * longer (RFC 3396); `sname` and `file` longer than their fields are truncated (callers put long boot
 * file names in option 67 too).
 */
export function encodePacket(p: DhcpPacket, opts: EncodeOptions = {}): Buffer {
  const optionBytes = encodeOptions(p.options);
  const length = Math.max(HEADER_LENGTH + optionBytes.length + 1, opts.minLength ?? MIN_PACKET_LENGTH);
  const buf = Buffer.alloc(length);
  buf[0] = p.op;
  buf[1] = p.htype;
  buf[2] = p.hlen;
  buf[3] = p.hops;
  buf.writeUInt32BE(p.xid >>> 0, 4);
  buf.writeUInt16BE(p.secs & 0xffff, 8);
  buf.writeUInt16BE(p.flags & 0xffff, 10);
  writeIp(buf, 12, p.ciaddr);
  writeIp(buf, 16, p.yiaddr);
  writeIp(buf, 20, p.siaddr);
  writeIp(buf, 24, p.giaddr);
  p.chaddr.copy(buf, 28, 0, Math.min(16, p.chaddr.length));
  buf.write(p.sname.slice(0, 63), 44, 'latin1');
  buf.write(p.file.slice(0, 127), 108, 'latin1');
  buf.writeUInt32BE(MAGIC_COOKIE, 236);
  optionBytes.copy(buf, HEADER_LENGTH);
  buf[HEADER_LENGTH + optionBytes.length] = OPT_END;
  return buf;
}

function encodeOptions(options: DhcpOptions): Buffer {
  const parts: Buffer[] = [];
  for (const [code, value] of options) {
    if (code === OPT_PAD || code === OPT_END || code === OPT_OVERLOAD) continue;
    if (value.length === 0) {
      parts.push(Buffer.from([code, 0]));
      continue;
    }
    for (let off = 0; off < value.length; off += 255) {
      const piece = value.subarray(off, off + 255);
      parts.push(Buffer.from([code, piece.length]), piece);
    }
  }
  return Buffer.concat(parts);
}

/** The client's MAC as lowercase colon-separated hex (from `chaddr`, `hlen` bytes). */
export function clientMac(p: DhcpPacket): string {
  const n = p.hlen > 0 && p.hlen <= 16 ? p.hlen : 6;
  return [...p.chaddr.subarray(0, n)].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** A 16-byte `chaddr` field from a colon-separated MAC. */
export function chaddrFromMac(mac: string): Buffer {
  const out = Buffer.alloc(16);
  Buffer.from(mac.replace(/[:-]/g, ''), 'hex').copy(out);
  return out;
}

function readIp(buf: Buffer, off: number): string {
  return intToIp(buf.readUInt32BE(off));
}

function writeIp(buf: Buffer, off: number, ip: string): void {
  buf.writeUInt32BE(ipToInt(ip), off);
}

function cString(b: Buffer): string {
  const end = b.indexOf(0);
  return b.subarray(0, end === -1 ? b.length : end).toString('latin1');
}
