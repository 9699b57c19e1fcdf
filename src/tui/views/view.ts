/**
 * What a screen of the console is, and what it may use. Views hold no business logic: they read the store
 * and the event bus, and act through operations (src/ops) via `ctx.op`.
 */
import type { EventBus } from '../../events/index.js';
import type { OpsContext } from '../../ops/index.js';
import type { Store } from '../../store/index.js';
import type { Action } from '../keys.js';
import type { Flash } from '../model/flash.js';
import type { Filter } from '../model/filter.js';
import type { ProgressTracker } from '../model/progress.js';
import type { Relations } from '../model/relations.js';
import type { Theme } from '../theme.js';
import type { Dialogs } from '../widgets/dialogs.js';
import type { KeyEvent } from '../vendor.js';

export interface Area {
  width: number;
  height: number;
}

export interface View {
  /** The crumb: `servers`, `server 4c4c…`. */
  readonly crumb: string;
  /** The frame title: `servers(all)[12]`. */
  title(): string;
  /** Every key of the view, view actions first; the console adds the general ones. */
  actions(): Action[];
  /** Take in what changed since the last frame. */
  sync(now: number): void;
  /** Tagged lines for the frame's inside. */
  draw(area: Area, now: number): string[];
  /** Something on screen moves by itself (fading marks, a transfer): keep ticking. */
  animating?(now: number): boolean;
  /** The `/` filter, for views that have one. */
  filter?: { current(): Filter | undefined; set(f: Filter | undefined): void };
  /** Keys the view takes before its actions (a text pane's scrolling). */
  onKey?(k: KeyEvent): boolean;
  dispose?(): void;
}

/** Everything a view may use. */
export interface ConsoleContext {
  store: Store;
  events: EventBus;
  ops: OpsContext;
  theme: Theme;
  flash: Flash;
  dialogs: Dialogs;
  relations: Relations;
  progress: ProgressTracker;
  /** Mark the screen dirty (the next tick draws). */
  invalidate(): void;
  /** Run an operation; errors go to the flash line and resolve to undefined. */
  op<T = unknown>(name: string, args: unknown, done?: (result: T) => string | undefined): Promise<T | undefined>;
  /** Run an operation and let its error through (the editor shows it in the file). */
  call<T = unknown>(name: string, args: unknown): Promise<T>;
  /** Open a view on top of the stack. */
  push(v: View): void;
  /** Close the top view. */
  pop(): void;
  /** Open a list view by name (`servers`, `clusters`, …), optionally filtered. */
  open(name: string, filter?: string): void;
  /** Edit YAML in $EDITOR, validated on save (see editor.ts). */
  edit(target: EditTarget): Promise<void>;
  /** Where files are written by default (talosconfig, kubeconfig). */
  cwd: string;
  now(): number;
  /** A line for the console's log file. */
  log(line: string): void;
}

/** What the editor round trip edits. */
export interface EditTarget {
  /** `Server 4c4c…` in messages. */
  what: string;
  /** The YAML to start from. */
  initial: () => string;
  /** Check the operator's text; a list of problems (lines counted in that text) or none. */
  validate: (text: string) => Promise<EditProblem[]>;
  /** Save it; throws on conflict or refusal (the text is kept and the editor reopened). */
  save: (text: string) => Promise<string>;
}

/** Why a text cannot be saved; `line` counts from 1 in the operator's text (the editor adds its header). */
export interface EditProblem {
  line?: number;
  column?: number;
  message: string;
}
