/**
 * The `:` command line (switch view by name, with completion and history) and the `/` filter, which
 * filters live as it is typed and goes back to the previous filter on esc. An unknown command or a bad
 * filter is said in the prompt and the text stays for fixing.
 */
import { parseFilter, type Filter } from './model/filter.js';
import { LineEditor } from './model/line.js';
import type { KeyEvent } from './vendor.js';

/** View names and their aliases, as k9s takes `:po` for pods. */
export const VIEW_ALIASES: Record<string, string[]> = {
  servers: ['server', 'srv', 'se', 's'],
  classes: ['serverclasses', 'serverclass', 'class', 'sc'],
  clusters: ['cluster', 'cl', 'c'],
  machines: ['machine', 'ma', 'm'],
  environments: ['environment', 'env', 'envs', 'e'],
  events: ['event', 'ev', 'log'],
};

export const COMMANDS = ['setup', 'help', 'quit'];

export function resolveView(word: string): string | undefined {
  const w = word.toLowerCase();
  for (const [name, aliases] of Object.entries(VIEW_ALIASES)) if (name === w || aliases.includes(w)) return name;
  return undefined;
}

export function completeCommand(text: string): string[] {
  const t = text.trimStart().toLowerCase();
  if (t.includes(' ')) return [];
  return [...Object.keys(VIEW_ALIASES), ...COMMANDS].filter((c) => c.startsWith(t));
}

export type Command =
  | { kind: 'view'; name: string; filter?: string }
  | { kind: 'setup' }
  | { kind: 'help' }
  | { kind: 'quit' }
  | { kind: 'error'; message: string };

export function parseCommand(text: string): Command {
  const [word = '', ...rest] = text.trim().split(/\s+/);
  const arg = rest.join(' ');
  if (!word) return { kind: 'error', message: 'type a view name: servers, classes, clusters, machines, environments, events' };
  if (['q', 'q!', 'quit', 'exit'].includes(word)) return { kind: 'quit' };
  if (word === 'setup' || word === 'settings') return { kind: 'setup' };
  if (word === 'help' || word === '?') return { kind: 'help' };
  // A name, an alias, or a prefix only one view or command starts with (`:clu`).
  const only = completeCommand(word);
  const view = resolveView(word) ?? (only.length === 1 ? resolveView(only[0]!) : undefined);
  if (view) return { kind: 'view', name: view, ...(arg ? { filter: arg.replace(/^\//, '') } : {}) };
  if (only.length === 1 && !rest.length) return parseCommand(only[0]!);
  const near = completeCommand(word.slice(0, 2));
  return { kind: 'error', message: `no view or command "${word}"${near.length ? `; did you mean ${near.slice(0, 3).join(', ')}?` : ''}` };
}

export type PromptResult = { done: false } | { done: true; command?: Command };

export class PromptLine {
  readonly editor: LineEditor;
  error = '';

  private constructor(
    readonly kind: 'command' | 'filter',
    initial: string,
    history: string[],
    private readonly filterTarget?: { previous: Filter | undefined; apply: (f: Filter | undefined) => void },
  ) {
    this.editor = new LineEditor(initial, kind === 'command' ? completeCommand : undefined).withHistory(history);
  }

  static command(history: string[]): PromptLine {
    return new PromptLine('command', '', history);
  }

  static filter(current: Filter | undefined, apply: (f: Filter | undefined) => void, history: string[]): PromptLine {
    return new PromptLine('filter', current?.source ?? '', history, { previous: current, apply });
  }

  key(k: KeyEvent): PromptResult {
    if (k.name === 'escape') {
      this.filterTarget?.apply(this.filterTarget.previous);
      return { done: true };
    }
    if (k.name === 'enter') return this.kind === 'command' ? this.enterCommand() : this.enterFilter();
    this.editor.key(k);
    if (this.kind === 'filter') this.live();
    else this.error = '';
    return { done: false };
  }

  private enterCommand(): PromptResult {
    const cmd = parseCommand(this.editor.text);
    if (cmd.kind === 'error') {
      this.error = cmd.message;
      return { done: false };
    }
    return { done: true, command: cmd };
  }

  private enterFilter(): PromptResult {
    const p = parseFilter(this.editor.text);
    if (!p.ok) {
      this.error = p.error;
      return { done: false };
    }
    this.filterTarget?.apply(p.filter);
    return { done: true };
  }

  /** Filter as the operator types; a half-typed label selector leaves the last good filter in place. */
  private live(): void {
    const p = parseFilter(this.editor.text);
    if (p.ok) {
      this.error = '';
      this.filterTarget?.apply(p.filter);
    } else this.error = p.error;
  }
}
