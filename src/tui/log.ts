/**
 * The console's log file (console.log in the data directory): terminal choice, failed operations,
 * warnings, and anything written to the console or stderr while the screen is up, which would otherwise
 * land on top of it.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { format } from 'node:util';

export class ConsoleLog {
  private readonly out: WriteStream | undefined;
  private restore: (() => void) | undefined;

  constructor(readonly path: string | undefined) {
    this.out = path ? createWriteStream(path, { flags: 'a', mode: 0o600 }) : undefined;
    this.out?.on('error', () => undefined); // a full disk must not take the console down
  }

  line(text: string): void {
    this.out?.write(`${new Date().toISOString()} ${text.replace(/\n/g, '\n  ')}\n`);
  }

  /** While the screen is up: console.*, stderr and process warnings go here. */
  capture(): void {
    if (this.restore) return;
    const saved = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
    const write = process.stderr.write.bind(process.stderr);
    const warningListeners = process.listeners('warning');
    const sink = (...a: unknown[]) => this.line(format(...a));
    Object.assign(console, { log: sink, info: sink, warn: sink, error: sink, debug: sink });
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      this.line(`stderr: ${typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString()}`.trimEnd());
      const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      cb?.();
      return true;
    }) as typeof process.stderr.write;
    process.removeAllListeners('warning');
    const onWarning = (w: Error) => this.line(`warning: ${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    this.restore = () => {
      Object.assign(console, saved);
      process.stderr.write = write;
      process.off('warning', onWarning);
      for (const l of warningListeners) process.on('warning', l as (w: Error) => void);
    };
  }

  release(): void {
    this.restore?.();
    this.restore = undefined;
  }

  close(): Promise<void> {
    this.release();
    return new Promise((resolve) => (this.out ? this.out.end(resolve) : resolve()));
  }
}
