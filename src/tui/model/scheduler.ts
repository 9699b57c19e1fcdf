/**
 * One render per tick, at most ten a second, never one per event: store watch events, bus events and key
 * presses only mark the screen dirty; the scheduler draws once when the tick comes. It also counts work in
 * flight (operations, the editor) so tests can wait until the console is idle, as lazygit's tests do.
 */
export const MIN_FRAME_MS = 100;

export class RenderScheduler {
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private lastFrame = 0;
  private busy = 0;
  private idleWaiters: (() => void)[] = [];
  private stopped = false;
  /** Draw times in ms (wall clock), for the benchmark. */
  readonly frameTimes: number[] = [];
  /** CPU time of each draw in ms (this process), for the benchmark: wall clock on a loaded box also counts waiting. */
  readonly frameCpu: number[] = [];
  frames = 0;

  constructor(
    private readonly draw: () => void,
    private readonly now: () => number = () => performance.now(),
    private readonly keepTicking: () => boolean = () => false,
  ) {}

  invalidate(): void {
    if (this.stopped) return;
    this.dirty = true;
    this.schedule();
  }

  /** Work the console waits on (an operation, the editor); returns its end. */
  begin(): () => void {
    this.busy++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.busy--;
      this.invalidate();
      this.checkIdle();
    };
  }

  /** Resolves when no frame is pending and no work is in flight. */
  idle(): Promise<void> {
    if (this.stopped || this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Draw now (first paint, resize). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.frame();
  }

  private isIdle(): boolean {
    return !this.dirty && this.busy === 0;
  }

  private schedule(): void {
    if (this.timer || this.stopped) return;
    const wait = Math.max(0, this.lastFrame + MIN_FRAME_MS - this.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.frame();
    }, wait);
  }

  private frame(): void {
    if (this.stopped) return;
    this.dirty = false;
    const t0 = this.now();
    const c0 = process.cpuUsage();
    this.lastFrame = t0;
    this.draw();
    const dt = this.now() - t0;
    const c = process.cpuUsage(c0);
    this.frames++;
    if (this.frameTimes.length < 100_000) {
      this.frameTimes.push(dt);
      this.frameCpu.push((c.user + c.system) / 1000);
    }
    // Fading change marks, a live log: keep ticking at the frame rate while something moves. Such frames
    // do not make the console busy.
    if (this.keepTicking()) this.schedule();
    this.checkIdle();
  }

  private checkIdle(): void {
    if (!this.isIdle()) return;
    for (const w of this.idleWaiters.splice(0)) w();
  }
}
