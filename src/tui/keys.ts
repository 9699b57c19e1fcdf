/**
 * Key actions as data (k9s's KeyActions, lazygit's bindings with a disabled reason): one table per view
 * that both dispatches keys and produces the header hints and the `?` help, so the hints can never lie.
 */
export type Section = 'view' | 'general' | 'navigation';

export interface Action {
  /** The key as vendor.ts names it: `a`, `A`, `C-d`, `enter`, `space`, `?`. */
  key: string;
  /** Other keys that do the same (`down` for `j`); not shown in hints. */
  also?: string[];
  /** A word or two for the header: `accept`. */
  label: string;
  /** A sentence for `?`. */
  help?: string;
  section?: Section;
  /** Shown in the header hints (default: view actions yes, others no). */
  hint?: boolean;
  /** Destructive: asks first; shown in the error colour. */
  danger?: boolean;
  /** Why it cannot run now, or undefined when it can. */
  disabled?: () => string | undefined;
  run: () => void | Promise<void>;
}

/** The printable form of a key for hints and help. */
export function keyLabel(key: string): string {
  if (key.startsWith('C-')) return `ctrl-${key.slice(2)}`;
  if (key.startsWith('S-')) return `shift-${key.slice(2)}`;
  if (key === 'escape') return 'esc';
  return key;
}

export function findAction(actions: readonly Action[], key: string): Action | undefined {
  return actions.find((a) => a.key === key) ?? actions.find((a) => a.also?.includes(key));
}

export type Dispatch = { handled: false } | { handled: true; refused?: string; action: Action };

/**
 * Run the action bound to a key. A disabled action is not run; its reason comes back so the console can
 * say it on the flash line.
 */
export function dispatch(actions: readonly Action[], key: string, run: (a: Action) => void): Dispatch {
  const a = findAction(actions, key);
  if (!a) return { handled: false };
  const why = a.disabled?.();
  if (why) return { handled: true, refused: `${a.label}: ${why}`, action: a };
  run(a);
  return { handled: true, action: a };
}

export interface Hint {
  key: string;
  label: string;
  disabled: boolean;
  danger: boolean;
}

/** What the header shows: the actions marked as hints, in table order. */
export function hints(actions: readonly Action[]): Hint[] {
  return actions
    .filter((a) => a.hint ?? (a.section ?? 'view') === 'view')
    .map((a) => ({ key: keyLabel(a.key), label: a.label, disabled: !!a.disabled?.(), danger: !!a.danger }));
}

export interface HelpLine {
  section: Section;
  key: string;
  text: string;
  /** Why it is disabled right now. */
  disabled?: string;
}

/** Every key of the view, by section, with the reason for each disabled one. */
export function help(actions: readonly Action[]): HelpLine[] {
  const order: Section[] = ['view', 'general', 'navigation'];
  return order.flatMap((section) =>
    actions
      .filter((a) => (a.section ?? 'view') === section)
      .map((a) => {
        const why = a.disabled?.();
        const keys = [a.key, ...(a.also ?? [])].map(keyLabel).join(' ');
        return { section, key: keys, text: a.help ?? a.label, ...(why ? { disabled: why } : {}) };
      }),
  );
}
