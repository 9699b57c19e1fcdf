/**
 * The local control socket protocol: newline-delimited JSON over a unix socket in the data directory.
 * A request names an operation of src/ops and its arguments; the reply carries the result or an error
 * with its stable code.
 */

export const CONTROL_SOCKET = 'metalbox.sock';

export interface ControlRequest {
  id: number;
  op: string;
  args: unknown;
}

export interface ControlError {
  code: string;
  message: string;
  hint?: string;
}

export type ControlReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: ControlError };

/** Largest request line accepted (an `apply` of a big manifest stream fits easily). */
export const MAX_LINE = 16 * 1024 * 1024;

/** Split a stream into lines, refusing lines over MAX_LINE. */
export class LineSplitter {
  private buf = '';
  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    this.buf += chunk;
    let i: number;
    while ((i = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, i);
      this.buf = this.buf.slice(i + 1);
      if (line.trim()) this.onLine(line);
    }
    if (this.buf.length > MAX_LINE) throw new Error('control request too large');
  }
}
