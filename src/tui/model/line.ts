/**
 * A one-line editor for the `:` and `/` prompts and form fields: cursor movement, word delete, history and
 * completion (the suggestion is shown after the cursor and taken with tab or right, as k9s does).
 */
import type { KeyEvent } from '../vendor.js';

export class LineEditor {
  text = '';
  cursor = 0;
  /** The whole text is selected (a form's default): the first character typed replaces it. */
  selected = false;
  private history: string[] = [];
  private historyAt = -1;

  constructor(
    initial = '',
    private readonly complete?: (text: string) => string[],
  ) {
    this.set(initial);
  }

  set(text: string): void {
    this.text = text;
    this.cursor = [...text].length;
  }

  withHistory(h: string[]): this {
    this.history = h;
    this.historyAt = h.length;
    return this;
  }

  /** Candidates for what is typed so far. */
  candidates(): string[] {
    return this.complete ? this.complete(this.text) : [];
  }

  /** The rest of the first candidate, drawn greyed after the text. */
  suggestion(): string {
    if (this.cursor !== [...this.text].length || !this.text) return '';
    const first = this.candidates().find((c) => c.startsWith(this.text) && c !== this.text);
    return first ? first.slice(this.text.length) : '';
  }

  /** Select the whole text, as a form does with a default value when its field is entered. */
  selectAll(): void {
    this.selected = this.text.length > 0;
    this.cursor = [...this.text].length;
  }

  /** Apply a key; false when the key is not an editing key (enter, escape are the caller's). */
  key(k: KeyEvent): boolean {
    if (this.selected) {
      this.selected = false;
      const typed = k.ch !== undefined && (k.name.length === 1 || k.name === 'space');
      if (typed) this.set('');
      else if (['backspace', 'delete', 'C-d'].includes(k.name)) {
        this.set('');
        return true;
      }
    }
    const chars = [...this.text];
    switch (k.name) {
      case 'backspace':
        if (this.cursor > 0) {
          chars.splice(this.cursor - 1, 1);
          this.cursor--;
        }
        break;
      case 'delete':
      case 'C-d':
        chars.splice(this.cursor, 1);
        break;
      case 'left':
      case 'C-b':
        this.cursor = Math.max(0, this.cursor - 1);
        return true;
      case 'right':
      case 'C-f':
        if (this.cursor === chars.length && this.suggestion()) return this.accept();
        this.cursor = Math.min(chars.length, this.cursor + 1);
        return true;
      case 'home':
      case 'C-a':
        this.cursor = 0;
        return true;
      case 'end':
      case 'C-e':
        this.cursor = chars.length;
        return true;
      case 'C-u':
        chars.splice(0, this.cursor);
        this.cursor = 0;
        break;
      case 'C-k':
        chars.splice(this.cursor);
        break;
      case 'C-w':
        return this.deleteWord(chars);
      case 'tab':
        return this.accept();
      case 'up':
        return this.recall(-1);
      case 'down':
        return this.recall(1);
      default:
        if (k.ch === undefined || k.name.length > 1 && k.name !== 'space') return false;
        chars.splice(this.cursor, 0, k.ch);
        this.cursor++;
    }
    this.text = chars.join('');
    return true;
  }

  private accept(): boolean {
    const s = this.suggestion();
    if (s) this.set(this.text + s);
    return true;
  }

  private deleteWord(chars: string[]): boolean {
    let i = this.cursor;
    while (i > 0 && chars[i - 1] === ' ') i--;
    while (i > 0 && chars[i - 1] !== ' ') i--;
    chars.splice(i, this.cursor - i);
    this.cursor = i;
    this.text = chars.join('');
    return true;
  }

  private recall(dir: number): boolean {
    if (!this.history.length) return true;
    this.historyAt = Math.max(0, Math.min(this.history.length, this.historyAt + dir));
    this.set(this.history[this.historyAt] ?? '');
    return true;
  }

  /** The text split at the cursor, for drawing. */
  parts(): { before: string; at: string; after: string } {
    const chars = [...this.text];
    return { before: chars.slice(0, this.cursor).join(''), at: chars[this.cursor] ?? ' ', after: chars.slice(this.cursor + 1).join('') };
  }
}
