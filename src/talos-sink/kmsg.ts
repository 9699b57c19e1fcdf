/**
 * Talos's kernel log stream (`talos.logging.kernel=tcp://host:port`), decoded: newline-separated JSON
 * objects, one per kernel message, e.g.
 *   {"clock":6252819,"facility":"user","msg":"[talos] task startAllServices (1/1): waiting for 6 services\n",
 *    "priority":"warning","seq":711,"talos-level":"warn","talos-time":"2021-11-26T16:53:21.3258698Z"}
 * (field names as Talos reserves them: facility, seq, clock, priority, msg, talos-time, talos-level).
 * Pure: a line splitter with a length cap and a line parser; no sockets.
 */
import { cleanText } from './decode.js';

/** Longest line accepted; longer ones are dropped whole (and counted). */
export const MAX_LINE = 64 * 1024;
/** Longest message text kept for the console. */
export const MAX_LOG_TEXT = 1024;

export interface KmsgRecord {
  msg: string;
  facility?: string;
  priority?: string;
  level?: string;
  seq?: number;
  /** Microseconds since the kernel booted. */
  clock?: number;
  time?: string;
}

export type ParsedLine = { ok: true; record: KmsgRecord } | { ok: false; reason: string };

/**
 * Splits a byte stream into lines, holding at most MAX_LINE bytes of an unfinished line. A line that
 * grows past the cap is discarded up to its newline and counted in `oversized`.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private held = 0;
  private skipping = false;
  oversized = 0;

  constructor(private readonly max = MAX_LINE) {}

  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) break;
      this.finish(chunk.subarray(start, nl), lines);
      start = nl + 1;
    }
    this.hold(chunk.subarray(start));
    return lines;
  }

  /** Bytes of an unfinished line held now. */
  get pending(): number {
    return this.held;
  }

  private finish(tail: Buffer, out: string[]): void {
    if (this.skipping) {
      this.skipping = false;
      return;
    }
    if (this.held + tail.length > this.max) {
      this.oversized++;
      this.reset();
      return;
    }
    const line = (this.held ? Buffer.concat([...this.parts, tail]) : tail).toString('utf8').replace(/\r$/, '');
    this.reset();
    if (line.trim()) out.push(line);
  }

  private hold(rest: Buffer): void {
    if (this.skipping || rest.length === 0) return;
    if (this.held + rest.length > this.max) {
      this.oversized++;
      this.reset();
      this.skipping = true;
      return;
    }
    this.parts.push(Buffer.from(rest));
    this.held += rest.length;
  }

  private reset(): void {
    this.parts = [];
    this.held = 0;
  }
}

function optString(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? cleanText(v, 64) : undefined;
}

function optNumber(o: Record<string, unknown>, key: string): number | undefined {
  const v = o[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** One line of the stream: a JSON object with a string `msg`. */
export function parseKmsgLine(line: string): ParsedLine {
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (!o || typeof o !== 'object' || Array.isArray(o)) return { ok: false, reason: 'not a JSON object' };
  const rec = o as Record<string, unknown>;
  if (typeof rec['msg'] !== 'string') return { ok: false, reason: 'no "msg" text' };
  const out: KmsgRecord = { msg: cleanText(rec['msg'], MAX_LOG_TEXT) };
  const fields: [keyof KmsgRecord, string | number | undefined][] = [
    ['facility', optString(rec, 'facility')],
    ['priority', optString(rec, 'priority')],
    ['level', optString(rec, 'talos-level')],
    ['seq', optNumber(rec, 'seq')],
    ['clock', optNumber(rec, 'clock')],
    ['time', optString(rec, 'talos-time')],
  ];
  for (const [k, v] of fields) if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  return { ok: true, record: out };
}

const QUIET_LEVELS = new Set(['info', 'debug', '']);

/** The line the console shows: the message, with its level in front when it is louder than info. */
export function logLineText(r: KmsgRecord): string {
  const level = (r.level ?? '').toLowerCase();
  return QUIET_LEVELS.has(level) ? r.msg : `[${level}] ${r.msg}`;
}
