import { closeSync, fstatSync, openSync, renameSync, rmSync, writeSync, existsSync } from 'node:fs';
import type { EventRecord } from './types.js';

export interface AuditLogOptions {
  /** Path of the current log file, e.g. `<data>/events.jsonl`. */
  path: string;
  /** Rotate when the file would grow past this many bytes. */
  maxBytes?: number;
  /** How many rotated files to keep (`.1` newest … `.N` oldest). */
  keep?: number;
}

/**
 * Append-only JSON-lines log with size-based rotation (`events.jsonl`, `events.jsonl.1`, …).
 * Lines are buffered and written once per tick, so a burst of events costs one write.
 */
export class AuditLog {
  private fd: number | undefined;
  private size = 0;
  private pending: string[] = [];
  private scheduled = false;
  private readonly maxBytes: number;
  private readonly keep: number;

  constructor(private readonly opts: AuditLogOptions) {
    this.maxBytes = opts.maxBytes ?? 10 * 1024 * 1024;
    this.keep = opts.keep ?? 3;
  }

  append(record: EventRecord): void {
    this.pending.push(JSON.stringify(record) + '\n');
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Write what is buffered now. Errors writing the log never take the appliance down. */
  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const chunk = this.pending.join('');
    this.pending = [];
    try {
      const bytes = Buffer.byteLength(chunk);
      if (this.fd === undefined) this.open();
      if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
      writeSync(this.fd as number, chunk);
      this.size += bytes;
    } catch (e) {
      process.emitWarning(`metalbox: cannot write the event log ${this.opts.path}: ${(e as Error).message}`);
    }
  }

  close(): void {
    this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private open(): void {
    this.fd = openSync(this.opts.path, 'a', 0o600);
    this.size = fstatSync(this.fd).size;
  }

  private rotate(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    const oldest = `${this.opts.path}.${this.keep}`;
    if (existsSync(oldest)) rmSync(oldest);
    for (let i = this.keep - 1; i >= 1; i--) {
      const from = `${this.opts.path}.${i}`;
      if (existsSync(from)) renameSync(from, `${this.opts.path}.${i + 1}`);
    }
    if (this.keep >= 1) renameSync(this.opts.path, `${this.opts.path}.1`);
    else rmSync(this.opts.path);
    this.open();
  }
}
