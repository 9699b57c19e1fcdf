/**
 * A per-key budget of lines per second (one-second windows), so a chatty kernel cannot flood the event
 * bus: lines over the budget are dropped and counted, and the count is told once the window is over
 * ("N lines dropped"). Memory: one small record per key that spoke in the last few seconds.
 */

export interface DropNote {
  key: string;
  dropped: number;
}

interface Window {
  start: number;
  used: number;
  dropped: number;
}

export class LineBudget {
  private readonly windows = new Map<string, Window>();
  /** Lines dropped over the budget, in all. */
  droppedTotal = 0;

  constructor(
    readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Whether a line for `key` may go out now. `note` is set when an earlier window of this key dropped
   * lines: the caller tells that first.
   */
  take(key: string): { ok: boolean; note?: DropNote } {
    const t = this.now();
    let w = this.windows.get(key);
    let note: DropNote | undefined;
    if (!w || t - w.start >= 1000) {
      if (w && w.dropped > 0) note = { key, dropped: w.dropped };
      w = { start: t, used: 0, dropped: 0 };
      this.windows.set(key, w);
    }
    const ok = w.used < this.perSecond;
    if (ok) w.used++;
    else {
      w.dropped++;
      this.droppedTotal++;
    }
    return note ? { ok, note } : { ok };
  }

  /** Close the windows that are over: their drop notes, and forget keys that went quiet. */
  sweep(): DropNote[] {
    const t = this.now();
    const notes: DropNote[] = [];
    for (const [key, w] of this.windows) {
      if (t - w.start < 1000) continue;
      if (w.dropped > 0) notes.push({ key, dropped: w.dropped });
      this.windows.delete(key);
    }
    return notes;
  }

  get keys(): number {
    return this.windows.size;
  }
}
