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
    this.current = { level, text: text.replace(/\s*\n\s*/g, ' — '), at: now };
    this.onChange();
  }
}
