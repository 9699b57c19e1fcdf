/**
 * A queue of synchronous jobs run in arrival order, in slices of at most `sliceMs` before yielding to the
 * event loop: a caller issuing a thousand changes at once never blocks the loop for long. Each job's result
 * (or thrown error, or the promise it returns) settles the promise `run` gave for it.
 */
export class SliceQueue {
  private readonly jobs: (() => void)[] = [];
  private draining = false;
  private waiters: (() => void)[] = [];

  constructor(private readonly sliceMs: number) {}

  run<T>(job: () => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.jobs.push(() => {
        try {
          const r = job();
          if (r instanceof Promise) r.then(resolve, reject);
          else resolve(r);
        } catch (e) {
          reject(e);
        }
      });
      if (this.jobs.length === 1 && !this.draining) setImmediate(() => this.drain());
    });
  }

  /** Resolves once every job queued so far has run. */
  drained(): Promise<void> {
    if (this.jobs.length === 0 && !this.draining) return Promise.resolve();
    return new Promise((r) => this.waiters.push(r));
  }

  private drain(): void {
    this.draining = true;
    const until = performance.now() + this.sliceMs;
    let i = 0;
    while (i < this.jobs.length && (i === 0 || performance.now() < until)) this.jobs[i++]!();
    this.jobs.splice(0, i);
    this.draining = false;
    if (this.jobs.length) setImmediate(() => this.drain());
    else for (const w of this.waiters.splice(0)) w();
  }
}
