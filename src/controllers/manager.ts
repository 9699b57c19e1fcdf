import type { Resource } from '../api/index.js';
import { errorMessage } from '../util/errors.js';
import type { Controller, ControllerContext, Ref } from './types.js';

const RESYNC_MS = 30_000;
const MAX_BACKOFF_MS = 60_000;

/**
 * Runs controllers: a de-duplicating work queue fed by store watch events and a periodic resync,
 * processed one item at a time; failures are reported as events and retried with backoff.
 */
export class ControllerManager {
  private readonly queue = new Map<string, { c: Controller; ref: Ref }>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private unwatch: (() => void) | undefined;
  private resync: NodeJS.Timeout | undefined;
  private running = false;
  private idleWaiters: (() => void)[] = [];
  private stopped = true;

  constructor(private readonly ctx: ControllerContext, private readonly controllers: Controller[]) {}

  async start(): Promise<void> {
    this.stopped = false;
    this.unwatch = this.ctx.store.watch((e) => this.onChange(e.object));
    this.resyncAll();
    this.resync = setInterval(() => this.resyncAll(), RESYNC_MS);
    this.resync.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unwatch?.();
    if (this.resync) clearInterval(this.resync);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.queue.clear();
    await this.idle();
  }

  /** Resolves when the queue is empty and nothing is running (tests, and the console's first paint). */
  idle(): Promise<void> {
    if (!this.running && this.queue.size === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  enqueue(c: Controller, ref: Ref): void {
    if (this.stopped) return;
    this.queue.set(`${c.name}|${ref.namespace ?? ''}|${ref.name}`, { c, ref });
    if (!this.running) setImmediate(() => void this.drain());
  }

  private onChange(obj: Resource): void {
    for (const c of this.controllers) {
      if (obj.kind === c.primary) this.enqueue(c, { name: obj.metadata.name, ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}) });
      for (const w of c.watches ?? []) if (w.kind === obj.kind) for (const ref of w.map(obj, this.ctx)) this.enqueue(c, ref);
    }
  }

  private resyncAll(): void {
    for (const c of this.controllers) {
      for (const o of this.ctx.store.list(c.primary)) this.enqueue(c, { name: o.metadata.name, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) });
    }
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    while (this.queue.size && !this.stopped) {
      const [key, item] = this.queue.entries().next().value as [string, { c: Controller; ref: Ref }];
      this.queue.delete(key);
      try {
        await item.c.reconcile(this.ctx, item.ref);
        this.failures.delete(key);
      } catch (e) {
        const n = (this.failures.get(key) ?? 0) + 1;
        this.failures.set(key, n);
        this.ctx.events.emit({ type: 'controller.error', controller: item.c.name, key: `${item.ref.namespace ? `${item.ref.namespace}/` : ''}${item.ref.name}`, error: errorMessage(e) });
        const t = setTimeout(() => {
          this.timers.delete(t);
          this.enqueue(item.c, item.ref);
        }, Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(n, 8)));
        t.unref();
        this.timers.add(t);
      }
    }
    this.running = false;
    if (this.queue.size === 0) for (const w of this.idleWaiters.splice(0)) w();
  }
}
