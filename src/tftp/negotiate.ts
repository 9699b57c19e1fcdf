/**
 * RFC 2347 option negotiation for a read request: blksize (RFC 2348), tsize and timeout (RFC 2349),
 * windowsize (RFC 7440). Pure.
 */

export interface TransferLimits {
  /** Largest block size granted (settings.tftp.maxBlksize). */
  maxBlksize: number;
  /** Largest window granted. */
  maxWindowsize: number;
  /** Retransmission timeout when the client asks for none, ms. */
  defaultTimeoutMs: number;
}

export interface Negotiated {
  blksize: number;
  windowsize: number;
  timeoutMs: number;
  /** The OACK options, in request order; undefined when no option was accepted (plain RFC 1350). */
  oack: Map<string, string> | undefined;
}

export type NegotiationResult = ({ ok: true } & Negotiated) | { ok: false; message: string };

export const BLKSIZE_MIN = 8;
export const BLKSIZE_MAX = 65464;

export function negotiate(requested: ReadonlyMap<string, string>, limits: TransferLimits, size: number): NegotiationResult {
  const oack = new Map<string, string>();
  let blksize = 512;
  let windowsize = 1;
  let timeoutMs = limits.defaultTimeoutMs;
  for (const [name, raw] of requested) {
    const value = /^\d{1,10}$/.test(raw) ? Number(raw) : Number.NaN;
    switch (name) {
      case 'blksize':
        if (Number.isNaN(value) || value < BLKSIZE_MIN) return { ok: false, message: `blksize must be ${BLKSIZE_MIN} to ${BLKSIZE_MAX}, not ${raw}` };
        blksize = Math.min(value, BLKSIZE_MAX, limits.maxBlksize);
        oack.set(name, String(blksize));
        break;
      case 'tsize':
        if (Number.isNaN(value)) return { ok: false, message: `tsize must be a number, not ${raw}` };
        oack.set(name, String(size));
        break;
      case 'timeout':
        // RFC 2349: 1 to 255 seconds; anything else is left out of the OACK (declined, not refused).
        if (value >= 1 && value <= 255) {
          timeoutMs = value * 1000;
          oack.set(name, String(value));
        }
        break;
      case 'windowsize':
        if (Number.isNaN(value) || value < 1 || value > 65535) return { ok: false, message: `windowsize must be 1 to 65535, not ${raw}` };
        windowsize = Math.min(value, limits.maxWindowsize);
        oack.set(name, String(windowsize));
        break;
      default:
        break; // unknown options are ignored (RFC 2347)
    }
  }
  return { ok: true, blksize, windowsize, timeoutMs, oack: oack.size > 0 ? oack : undefined };
}

/** RFC 1350 netascii: every LF becomes CR LF and every bare CR becomes CR NUL. */
export function toNetascii(data: Buffer): Buffer {
  let extra = 0;
  for (const b of data) if (b === 0x0a || b === 0x0d) extra++;
  if (extra === 0) return data;
  const out = Buffer.allocUnsafe(data.length + extra);
  let j = 0;
  for (const b of data) {
    if (b === 0x0a) {
      out[j++] = 0x0d;
      out[j++] = 0x0a;
    } else if (b === 0x0d) {
      out[j++] = 0x0d;
      out[j++] = 0x00;
    } else out[j++] = b;
  }
  return out;
}
