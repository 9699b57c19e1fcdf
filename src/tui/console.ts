/**
 * The console: a header, a stack of views in a frame, the crumbs and the flash line, modal dialogs on top.
 * Store watch events, bus events and keys only mark it dirty; the scheduler draws once per tick.
 */
import { join } from 'node:path';
import type { App } from '../app.js';
import type { Ipv4Interface } from '../dhcp/index.js';
import { errorMessage } from '../util/errors.js';
import { VERSION } from '../version.js';
import { dispatch, hints, type Action } from './keys.js';
import { ConsoleLog } from './log.js';
import { ActivityMeter } from './model/activity.js';
import { Flash } from './model/flash.js';
import { ProgressTracker } from './model/progress.js';
import { RenderScheduler } from './model/scheduler.js';
import { PromptLine, type Command } from './prompt.js';
import type { ServerState } from './render/servers.js';
import { Theme } from './theme.js';
import { Term, type KeyEvent } from './vendor.js';
import { Dialogs } from './widgets/dialogs.js';
import { headerLines, type HeaderInput } from './widgets/header.js';
import { Chrome } from './chrome.js';
import { helpView } from './views/help.js';
import { generalActions, openRoot } from './views/roots.js';
import { SetupView } from './views/setup.js';
import type { ConsoleContext, View } from './views/view.js';
import { buildContext } from './context.js';
import type { ListView } from './views/list.js';
import type { Server } from '../api/index.js';
import { formatEvent, type EventRecord } from '../events/index.js';

export interface ConsoleOptions {
  app: App;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** `$TERM` (default: from env). */
  term?: string;
  env?: NodeJS.ProcessEnv;
  /** The editor's stdio: the terminal, or nothing for headless tests. */
  editorStdio?: 'inherit' | 'ignore';
  cwd?: string;
  /** Where the log goes (default console.log in the data directory); null for none. */
  logPath?: string | null;
  /** Divert console.* and stderr into the log while the screen is up (the real terminal). */
  captureOutput?: boolean;
  /** How quitting stops the appliance (default app.stop). */
  stop?: (reason: string) => Promise<void>;
  /** Interfaces for the first-start page (tests). */
  interfaces?: Ipv4Interface[];
  /** A terminal already open (the boot screen's), taken over instead of opening one. */
  terminal?: Term;
}


export class Console {
  readonly term: Term;
  readonly theme: Theme;
  readonly scheduler: RenderScheduler;
  readonly ctx: ConsoleContext;
  readonly closed: Promise<void>;
  private readonly log: ConsoleLog;
  private readonly chrome: Chrome;
  private readonly flash: Flash;
  private readonly dialogs: Dialogs;
  private readonly activity = new ActivityMeter();
  readonly progress = new ProgressTracker();
  readonly roots = new Map<string, View>();
  stack: View[] = [];
  private prompt: PromptLine | undefined;
  private readonly history = { command: [] as string[], filter: [] as string[] };
  private readonly cleanups: (() => void)[] = [];
  private quitting: Promise<void> | undefined;
  private resolveClosed!: () => void;
  private suspended = false;
  firstPaintMs = 0;
  /** Why stopping the appliance failed, if it did. */
  stopError: unknown;

  constructor(private readonly opts: ConsoleOptions) {
    const t0 = performance.now();
    const app = opts.app;
    this.closed = new Promise((r) => (this.resolveClosed = r));
    this.log = new ConsoleLog(opts.logPath === null ? undefined : (opts.logPath ?? join(app.config.dataDir, 'console.log')));
    this.term = opts.terminal ?? new Term({ ...(opts.input ? { input: opts.input } : {}), ...(opts.output ? { output: opts.output } : {}), ...(opts.term ? { term: opts.term } : {}), env: opts.env ?? process.env, log: (l) => this.log.line(l) });
    if (opts.captureOutput) this.log.capture();
    this.theme = new Theme(this.term.colors, this.term.terminal);
    this.scheduler = new RenderScheduler(() => this.draw());
    const invalidate = () => this.scheduler.invalidate();
    this.flash = new Flash(invalidate);
    this.dialogs = new Dialogs(invalidate);
    this.chrome = new Chrome(this.term, this.theme);
    this.ctx = buildContext({
      app,
      term: this.term,
      theme: this.theme,
      flash: this.flash,
      dialogs: this.dialogs,
      progress: this.progress,
      scheduler: this.scheduler,
      log: (l) => this.log.line(l),
      push: (v) => this.push(v),
      pop: () => this.pop(),
      open: (name, filter) => openRoot(this, name, filter),
      suspended: (yes) => void (this.suspended = yes),
      env: () => this.opts.env ?? process.env,
      editorStdio: opts.editorStdio ?? 'inherit',
      cwd: opts.cwd ?? process.cwd(),
    });
    // The tracker and the class index listen first, so views that listen after them see the update.
    for (const r of app.events.recent(2000)) this.progress.feed(r);
    this.cleanups.push(app.events.subscribe((r) => this.onEvent(r)));
    this.cleanups.push(app.store.watch(() => this.ctx.relations.classesChanged(), { kinds: ['ServerClass'] }));
    // The first paint does not wait for every object's validation: it runs right after, in slices.
    this.ctx.relations.deferChecks(true);
    openRoot(this, 'servers');
    if (app.config.firstStart) this.push(new SetupView(this.ctx, app.config.settings, opts.interfaces));
    this.term.onKey((k) => this.onKey(k));
    this.term.onResize(() => this.scheduler.flush());
    const tick = setInterval(() => this.scheduler.invalidate(), 1000);
    tick.unref();
    this.cleanups.push(() => clearInterval(tick));
    this.scheduler.flush();
    this.firstPaintMs = performance.now() - t0;
    this.ctx.relations.deferChecks(false);
    this.checkInBackground();
    this.log.line(`console painted in ${this.firstPaintMs.toFixed(0)} ms at ${this.term.width}x${this.term.height}, ${performance.now().toFixed(0)} ms after the process started`);
  }

  get top(): View {
    return this.stack.at(-1)!;
  }

  idle(): Promise<void> {
    return this.scheduler.idle();
  }

  snapshot(): string[] {
    return this.term.snapshot();
  }

  push(v: View): void {
    this.stack.push(v);
    this.scheduler.invalidate();
  }

  pop(): void {
    if (this.stack.length <= 1) return;
    const v = this.stack.pop()!;
    if (![...this.roots.values()].includes(v)) v.dispose?.();
    this.scheduler.invalidate();
  }

  /** Replace the stack with one root view (k9s's `:pods`). */
  setRoot(v: View): void {
    for (const old of this.stack) if (![...this.roots.values()].includes(old)) old.dispose?.();
    this.stack = [v];
    this.scheduler.invalidate();
  }

  quit(reason = 'the operator quit the console'): Promise<void> {
    if (this.quitting) return this.quitting;
    this.quitting = (async () => {
      this.flash.info('stopping DHCP, TFTP, HTTP and the controllers…');
      this.scheduler.flush();
      let failure: unknown;
      try {
        await (this.opts.stop ?? ((r) => this.opts.app.stop(r)))(reason);
      } catch (e) {
        failure = e;
        this.log.line(`stopping failed: ${errorMessage(e)}`);
      }
      this.scheduler.stop();
      for (const c of this.cleanups.splice(0)) c();
      for (const v of new Set([...this.stack, ...this.roots.values()])) v.dispose?.();
      this.term.destroy();
      await this.log.close();
      this.stopError = failure;
      this.resolveClosed();
    })();
    return this.quitting;
  }

  /** The validation the first paint skipped, a few milliseconds at a time; invalid rows are redrawn. */
  private checkInBackground(): void {
    const step = () => {
      if (this.quitting) return;
      const more = this.ctx.relations.drainChecks(8, (obj) => {
        for (const v of this.roots.values()) (v as Partial<ListView<Server>>).touchObject?.(obj);
      });
      if (more) setImmediate(step);
    };
    setImmediate(step);
  }

  /** After a crash: give the terminal back at once, and let output reach stderr again. */
  abandon(): void {
    this.scheduler.stop();
    this.term.destroy();
    this.log.release();
  }

  /** Run a command line (`:servers`, `:q`). */
  command(c: Command): void {
    if (c.kind === 'quit') void this.quit();
    else if (c.kind === 'help') this.openHelp();
    else if (c.kind === 'setup') this.push(new SetupView(this.ctx, this.opts.app.config.settings, this.opts.interfaces));
    else if (c.kind === 'view') this.ctx.open(c.name, c.filter);
  }

  openPrompt(kind: 'command' | 'filter'): void {
    const v = this.top;
    if (kind === 'filter') {
      if (!v.filter) return this.flash.warn('this view has no filter');
      const f = v.filter;
      this.prompt = PromptLine.filter(f.current(), (x) => f.set(x), this.history.filter);
    } else this.prompt = PromptLine.command(this.history.command);
    this.scheduler.invalidate();
  }

  openHelp(): void {
    this.push(helpView(this.ctx, this.top.crumb, this.actionsOf(this.top)));
  }

  /** The view's keys, then the general ones it does not take over. */
  actionsOf(v: View): Action[] {
    const own = v.actions();
    const taken = new Set(own.flatMap((a) => [a.key, ...(a.also ?? [])]));
    return [...own, ...generalActions(this).filter((a) => !taken.has(a.key))];
  }

  private onKey(k: KeyEvent): void {
    if (this.quitting || this.suspended) return;
    if (this.dialogs.active) {
      void this.dialogs.key(k);
      return;
    }
    if (this.prompt) return this.promptKey(k);
    const v = this.top;
    if (v.onKey?.(k)) return this.scheduler.invalidate();
    // Actions start synchronously: keys arriving in one chunk (a paste, tmux send-keys) must each see the
    // state the previous one left (`:` opens the prompt before `servers` is typed into it).
    const failed = (a: Action, e: unknown) => {
      this.flash.error(errorMessage(e));
      this.log.line(`${a.label}: ${errorMessage(e)}`);
    };
    const d = dispatch(this.actionsOf(v), k.name, (a) => {
      try {
        const r = a.run();
        if (r instanceof Promise) r.catch((e) => failed(a, e));
      } catch (e) {
        failed(a, e);
      }
    });
    if (d.handled && d.refused) this.flash.warn(d.refused);
    this.scheduler.invalidate();
  }

  private promptKey(k: KeyEvent): void {
    const p = this.prompt!;
    const r = p.key(k);
    if (r.done) {
      const text = p.editor.text.trim();
      const h = p.kind === 'command' ? this.history.command : this.history.filter;
      if (text && r.command !== undefined) h.push(text);
      else if (text && p.kind === 'filter' && k.name === 'enter') h.push(text);
      this.prompt = undefined;
      if (r.command) this.command(r.command);
    }
    this.scheduler.invalidate();
  }

  private onEvent(r: EventRecord): void {
    this.progress.feed(r);
    // The manual power driver needs a person at the machine: say so where the operator looks.
    if (r.event.type === 'power.operator') this.flash.warn(formatEvent(r.event));
    if (this.activity.feed(r) || r.event.type === 'service.state') this.scheduler.invalidate();
  }

  private serverCounts(): { counts: Map<ServerState, number>; total: number } {
    const counts = new Map<ServerState, number>();
    let total = 0;
    const servers = this.roots.get('servers') as ListView<Server> | undefined;
    if (!servers) return { counts, total };
    for (const row of servers.model.all()) {
      const s = row.cells[2]?.text as ServerState;
      counts.set(s, (counts.get(s) ?? 0) + 1);
      total++;
    }
    return { counts, total };
  }

  private draw(): void {
    if (this.suspended) return;
    const now = Date.now();
    // The servers list feeds the header's counts, so it stays current under any view.
    const root = this.roots.get('servers');
    if (root && root !== this.top) root.sync(now);
    const view = this.top;
    view.sync(now);
    this.chrome.draw({
      view,
      stack: this.stack,
      header: (cols, rows) => headerLines(this.theme, this.headerInput(view), cols, rows),
      prompt: this.prompt,
      flash: this.flash.message(now),
      dialog: (max) => this.dialogs.top(this.theme, max),
      now,
    });
  }

  private headerInput(view: View): HeaderInput {
    const st = this.opts.app.status();
    const s = this.opts.app.config.settings;
    const c = this.serverCounts();
    return {
      version: VERSION,
      address: st.address,
      iface: st.interface,
      dhcpMode: s.dhcp.mode,
      ports: { dhcp: s.dhcp.port, tftp: s.tftp.port, http: s.http.port },
      services: st.services,
      counts: c.counts,
      total: c.total,
      hints: hints(this.actionsOf(view)),
      activity: this.activity,
    };
  }
}
