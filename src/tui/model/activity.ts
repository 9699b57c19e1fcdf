/**
 * Network activity per second for the header's sparklines: DHCP exchanges, TFTP transfers and HTTP boot
 * requests over the last half minute.
 */
import type { EventRecord } from '../../events/index.js';

export type Channel = 'dhcp' | 'tftp' | 'http';

const SECONDS = 30;

export function channelOf(type: string): Channel | undefined {
  if (type === 'dhcp.exchange') return 'dhcp';
  if (type === 'tftp.transfer') return 'tftp';
  if (type.startsWith('boot.') || type.startsWith('http.') || type === 'audit.denied') return 'http';
  return undefined;
}

export class ActivityMeter {
  private readonly counts: Record<Channel, number[]> = { dhcp: [], tftp: [], http: [] };
  private second = 0;

  constructor(private readonly nowSec: () => number = () => Math.floor(Date.now() / 1000)) {
    this.second = this.nowSec();
    for (const c of Object.keys(this.counts) as Channel[]) this.counts[c] = new Array<number>(SECONDS).fill(0);
  }

  feed(r: EventRecord): boolean {
    const ch = channelOf(r.event.type);
    if (!ch) return false;
    if (r.event.type === 'tftp.transfer' && r.event.phase === 'progress') return false;
    this.advance();
    this.counts[ch][SECONDS - 1]!++;
    return true;
  }

  /** Oldest first, one value per second. */
  series(ch: Channel): number[] {
    this.advance();
    return this.counts[ch];
  }

  /** Whether anything happened in the window (the header keeps ticking while it shows movement). */
  busy(): boolean {
    this.advance();
    return (Object.values(this.counts) as number[][]).some((s) => s.some((n) => n > 0));
  }

  private advance(): void {
    const now = this.nowSec();
    const steps = Math.min(SECONDS, now - this.second);
    if (steps <= 0) return;
    for (const c of Object.keys(this.counts) as Channel[]) {
      const s = this.counts[c];
      s.splice(0, steps);
      for (let i = 0; i < steps; i++) s.push(0);
    }
    this.second = now;
  }
}

/** A sparkline of the last `cells` values, scaled to the largest. */
export function sparkline(values: number[], cells: number, glyphs: string): string {
  const v = values.slice(-cells);
  const max = Math.max(1, ...v);
  const g = [...glyphs];
  return v.map((n) => (n === 0 ? g[0]! : g[Math.min(g.length - 1, 1 + Math.floor(((n / max) * (g.length - 2)) + 0.5))]!)).join('').padStart(cells, g[0]);
}
