/**
 * What views get to work with (ConsoleContext): the store and the bus to read, operations to act through
 * (each one counted as work in flight, its error said on the flash line), navigation, and the editor.
 */
import type { App } from '../app.js';
import { runOp } from '../ops/index.js';
import { errorMessage } from '../util/errors.js';
import { editorCommand } from '../util/editor.js';
import { editLoop } from './editor.js';
import type { Flash } from './model/flash.js';
import type { ProgressTracker } from './model/progress.js';
import { Relations } from './model/relations.js';
import type { RenderScheduler } from './model/scheduler.js';
import type { Theme } from './theme.js';
import type { Term } from './vendor.js';
import type { ConsoleContext, EditTarget, View } from './views/view.js';
import type { Dialogs } from './widgets/dialogs.js';

export interface ContextDeps {
  app: App;
  term: Term;
  theme: Theme;
  flash: Flash;
  dialogs: Dialogs;
  progress: ProgressTracker;
  scheduler: RenderScheduler;
  log: (line: string) => void;
  push: (v: View) => void;
  pop: () => void;
  open: (name: string, filter?: string) => void;
  /** The console stops drawing while the editor has the terminal. */
  suspended: (yes: boolean) => void;
  /** The environment $EDITOR is read from, when an edit starts. */
  env: () => NodeJS.ProcessEnv;
  editorStdio: 'inherit' | 'ignore';
  cwd: string;
}

export function buildContext(d: ContextDeps): ConsoleContext {
  const { app, scheduler, flash } = d;
  const call = <T>(name: string, args: unknown) => runOp(app.ops, name, args) as Promise<T>;
  const drafts = new Map<string, string>();
  return {
    store: app.store,
    events: app.events,
    ops: app.ops,
    theme: d.theme,
    flash,
    dialogs: d.dialogs,
    relations: new Relations(app.store),
    progress: d.progress,
    invalidate: () => scheduler.invalidate(),
    call: async <T>(name: string, args: unknown) => {
      const end = scheduler.begin();
      try {
        return await call<T>(name, args);
      } finally {
        end();
      }
    },
    op: async <T>(name: string, args: unknown, done?: (r: T) => string | undefined) => {
      const end = scheduler.begin();
      try {
        const r = await call<T>(name, args);
        const msg = done?.(r);
        if (msg) flash.info(msg);
        return (r === undefined ? null : r) as T;
      } catch (e) {
        flash.error(errorMessage(e));
        d.log(`${name}: ${errorMessage(e)}`);
        return undefined;
      } finally {
        end();
      }
    },
    push: d.push,
    pop: d.pop,
    open: d.open,
    edit: (target) => edit(d, target, drafts),
    cwd: d.cwd,
    now: () => Date.now(),
    log: d.log,
  };
}

async function edit(d: ContextDeps, target: EditTarget, drafts: Map<string, string>): Promise<void> {
  const end = d.scheduler.begin();
  try {
    await editLoop(target, {
      suspend: async (run) => {
        d.suspended(true);
        try {
          return await d.term.suspend(run);
        } finally {
          d.suspended(false);
          d.scheduler.flush();
        }
      },
      editor: editorCommand(d.env()),
      stdio: d.editorStdio,
      drafts,
      info: (t) => d.flash.info(t),
      error: (t) => d.flash.error(t),
    });
  } catch (e) {
    d.flash.error(`edit failed: ${errorMessage(e)}`);
  } finally {
    end();
  }
}
