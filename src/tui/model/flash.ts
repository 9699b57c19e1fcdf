/**
 * The flash line: routine messages and errors that clear themselves (k9s's Flash), never a modal.
 */
export type FlashLevel = 'info' | 'warn' | 'error';

export interface FlashMessage {
  level: FlashLevel;
  text: string;
  at: number;
}

/** How long a message stays: errors longer, so they can be read. */
const TTL: Record<FlashLevel, number> = { info: 5000, warn: 8000, error: 15000 };

const RANK: Record<FlashLevel, number> = { info: 0, warn: 1, error: 2 };
/** How long a warning or error stays ahead of less important messages. */
const READ_MS = 4000;

export class Flash {
  private current: FlashMessage | undefined;

  constructor(private readonly onChange: () => void) {}

  info(text: string, now = Date.now()): void {
    this.set('info', text, now);
  }

  warn(text: string, now = Date.now()): void {
    this.set('warn', text, now);
  }

  error(text: string, now = Date.now()): void {
    this.set('error', text, now);
  }

  clear(): void {
    this.current = undefined;
    this.onChange();
  }

  /** The message to show now, if any. */
  message(now: number): FlashMessage | undefined {
    if (this.current && now - this.current.at >= TTL[this.current.level]) this.current = undefined;
    return this.current;
  }

  private set(level: FlashLevel, text: string, now: number): void {
    // A warning or an error is not pushed off by routine news before it could be read.
    const cur = this.message(now);
    if (cur && RANK[cur.level] > RANK[level] && now - cur.at < READ_MS) return;
    this.current = { level, text: text.replace(/\s*\n\s*/g, ' — '), at: now };
    this.onChange();
  }
}
