/**
 * TFTP packet codec (RFC 1350, RFC 2347 options): pure functions, no sockets.
 */

export const OP = { RRQ: 1, WRQ: 2, DATA: 3, ACK: 4, ERROR: 5, OACK: 6 } as const;

/** TFTP error codes (RFC 1350, RFC 2347). */
export const TFTP_ERROR = {
  notDefined: 0,
  fileNotFound: 1,
  accessViolation: 2,
  diskFull: 3,
  illegalOperation: 4,
  unknownTransferId: 5,
  fileExists: 6,
  noSuchUser: 7,
  optionRefused: 8,
} as const;

export type TftpPacket =
  | { op: 'RRQ'; file: string; mode: string; options: Map<string, string> }
  | { op: 'WRQ'; file: string; mode: string; options: Map<string, string> }
  | { op: 'DATA'; block: number; data: Buffer }
  | { op: 'ACK'; block: number }
  | { op: 'ERROR'; code: number; message: string }
  | { op: 'OACK'; options: Map<string, string> };

export type TftpDecodeResult = { ok: true; packet: TftpPacket } | { ok: false; reason: string };

export function decodeTftp(buf: Buffer): TftpDecodeResult {
  if (buf.length < 2) return { ok: false, reason: 'shorter than an opcode' };
  const op = buf.readUInt16BE(0);
  switch (op) {
    case OP.RRQ:
    case OP.WRQ:
      return decodeRequest(op === OP.RRQ ? 'RRQ' : 'WRQ', buf);
    case OP.DATA:
      if (buf.length < 4) return { ok: false, reason: 'DATA without a block number' };
      return { ok: true, packet: { op: 'DATA', block: buf.readUInt16BE(2), data: buf.subarray(4) } };
    case OP.ACK:
      if (buf.length < 4) return { ok: false, reason: 'ACK without a block number' };
      return { ok: true, packet: { op: 'ACK', block: buf.readUInt16BE(2) } };
    case OP.ERROR: {
      if (buf.length < 4) return { ok: false, reason: 'ERROR without a code' };
      const strings = nulStrings(buf.subarray(4));
      return { ok: true, packet: { op: 'ERROR', code: buf.readUInt16BE(2), message: strings?.[0] ?? buf.subarray(4).toString('latin1') } };
    }
    case OP.OACK: {
      const strings = nulStrings(buf.subarray(2));
      if (!strings || strings.length % 2 !== 0) return { ok: false, reason: 'malformed OACK' };
      return { ok: true, packet: { op: 'OACK', options: pairs(strings) } };
    }
    default:
      return { ok: false, reason: `unknown opcode ${op}` };
  }
}

function decodeRequest(op: 'RRQ' | 'WRQ', buf: Buffer): TftpDecodeResult {
  const strings = nulStrings(buf.subarray(2));
  if (!strings || strings.length < 2) return { ok: false, reason: `${op} without a NUL-terminated file name and mode` };
  const [file, mode, ...rest] = strings;
  if (!file) return { ok: false, reason: `${op} with an empty file name` };
  // A trailing unpaired string is tolerated (some clients pad); it is not an option.
  const options = pairs(rest.length % 2 === 0 ? rest : rest.slice(0, -1));
  return { ok: true, packet: { op, file, mode: mode!.toLowerCase(), options } };
}

/** NUL-terminated strings; undefined when the last one is not terminated. */
function nulStrings(b: Buffer): string[] | undefined {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < b.length; i++) {
    if (b[i] === 0) {
      out.push(b.subarray(start, i).toString('latin1'));
      start = i + 1;
    }
  }
  return start === b.length ? out : undefined;
}

/** Option names are case-insensitive (RFC 2347): keys are lowercased; the first of a repeated name wins. */
function pairs(strings: string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (let i = 0; i + 1 < strings.length; i += 2) {
    const key = strings[i]!.toLowerCase();
    if (!m.has(key)) m.set(key, strings[i + 1]!);
  }
  return m;
}

/** The 4-byte header of a DATA packet; the payload is sent after it without copying. */
export function dataHeader(block: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt16BE(OP.DATA, 0);
  b.writeUInt16BE(block & 0xffff, 2);
  return b;
}

export function encodeData(block: number, data: Buffer): Buffer {
  return Buffer.concat([dataHeader(block), data]);
}

export function encodeAck(block: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt16BE(OP.ACK, 0);
  b.writeUInt16BE(block & 0xffff, 2);
  return b;
}

export function encodeError(code: number, message: string): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(OP.ERROR, 0);
  head.writeUInt16BE(code, 2);
  return Buffer.concat([head, Buffer.from(message, 'latin1'), Buffer.from([0])]);
}

export function encodeOack(options: Map<string, string>): Buffer {
  const parts: Buffer[] = [Buffer.from([0, OP.OACK])];
  for (const [k, v] of options) parts.push(Buffer.from(`${k}\0${v}\0`, 'latin1'));
  return Buffer.concat(parts);
}

export function encodeRequest(op: 'RRQ' | 'WRQ', file: string, mode = 'octet', options: Map<string, string> = new Map()): Buffer {
  const parts: Buffer[] = [Buffer.from([0, op === 'RRQ' ? OP.RRQ : OP.WRQ]), Buffer.from(`${file}\0${mode}\0`, 'latin1')];
  for (const [k, v] of options) parts.push(Buffer.from(`${k}\0${v}\0`, 'latin1'));
  return Buffer.concat(parts);
}
