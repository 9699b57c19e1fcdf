/**
 * At most `max` BMCs are talked to at once (a rack powering on must not stampede the management network
 * or the BMCs), and one server's operations never overlap (a status poll waits for a power cycle to
 * finish). Waiting work is served first come, first served.
 */
export class PowerLimiter {
  private running = 0;
  private readonly queue: (() => void)[] = [];
  private readonly perServer = new Map<string, Promise<unknown>>();

  constructor(private max: number) {
    if (!Number.isInteger(max) || max < 1) throw new Error(`maxConcurrent must be a positive integer, not ${max}`);
  }

  /** Operations in progress now. */
  get active(): number {
    return this.running;
  }

  /** Operations waiting for a slot. */
  get waiting(): number {
    return this.queue.length;
  }

  setMax(max: number): void {
    this.max = Math.max(1, Math.floor(max));
    this.drain();
  }

  /** Run `fn` for `server` once its previous operation ended and a slot is free. */
  run<T>(server: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.perServer.get(server) ?? Promise.resolve();
    const mine = previous.catch(() => undefined).then(async () => {
      await this.acquire();
      try {
        return await fn();
      } finally {
        this.release();
      }
    });
    const tail = mine.catch(() => undefined);
    this.perServer.set(server, tail);
    void tail.then(() => {
      if (this.perServer.get(server) === tail) this.perServer.delete(server);
    });
    return mine;
  }

  private acquire(): Promise<void> {
    if (this.running < this.max) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  private release(): void {
    this.running--;
    this.drain();
  }

  private drain(): void {
    while (this.running < this.max && this.queue.length > 0) {
      this.running++;
      this.queue.shift()!();
    }
  }
}
