/**
 * The console: a header, a stack of views in a frame, the crumbs and the flash line, modal dialogs on top.
 * Store watch events, bus events and keys only mark it dirty; the scheduler draws once per tick.
 */
import { join } from 'node:path';
import type { App } from '../app.js';
import type { Ipv4Interface } from '../dhcp/index.js';
import { runOp } from '../ops/index.js';
import { errorMessage } from '../util/errors.js';
import { VERSION } from '../version.js';
import { editLoop, editorCommand } from './editor.js';
import { dispatch, hints, type Action } from './keys.js';
import { ConsoleLog } from './log.js';
import { ActivityMeter } from './model/activity.js';
import { Flash } from './model/flash.js';
import { ProgressTracker } from './model/progress.js';
import { Relations } from './model/relations.js';
import { RenderScheduler } from './model/scheduler.js';
import { PromptLine, type Command } from './prompt.js';
import type { ServerState } from './render/servers.js';
import { safe, truncate } from './text.js';
import { Theme } from './theme.js';
import { Term, type KeyEvent, type Panel } from './vendor.js';
import { Dialogs } from './widgets/dialogs.js';
import { drawEditor } from './widgets/dialogs.js';
import { headerLines } from './widgets/header.js';
import { helpView } from './views/help.js';
import { generalActions, openRoot } from './views/roots.js';
import { SetupView } from './views/setup.js';
import type { ConsoleContext, EditTarget, View } from './views/view.js';
import type { ListView } from './views/list.js';
import type { Server } from '../api/index.js';

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
}

interface Panels {
  header: Panel;
  prompt: Panel;
  main: Panel;
  crumbs: Panel;
  flash: Panel;
  dialog: Panel;
}

export class Console {
  readonly term: Term;
  readonly theme: Theme;
  readonly scheduler: RenderScheduler;
  readonly ctx: ConsoleContext;
  readonly closed: Promise<void>;
  private readonly log: ConsoleLog;
  private readonly panels: Panels;
  private readonly flash: Flash;
  private readonly dialogs: Dialogs;
  private readonly activity = new ActivityMeter();
  readonly progress = new ProgressTracker();
  readonly roots = new Map<string, View>();
  stack: View[] = [];
  private prompt: PromptLine | undefined;
  private readonly history = { command: [] as string[], filter: [] as string[] };
  private readonly drafts = new Map<string, string>();
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
    this.term = new Term({ ...(opts.input ? { input: opts.input } : {}), ...(opts.output ? { output: opts.output } : {}), ...(opts.term ? { term: opts.term } : {}), env: opts.env ?? process.env, log: (l) => this.log.line(l) });
    if (opts.captureOutput) this.log.capture();
    this.theme = new Theme(this.term.colors, this.term.terminal);
    this.scheduler = new RenderScheduler(() => this.draw());
    const invalidate = () => this.scheduler.invalidate();
    this.flash = new Flash(invalidate);
    this.dialogs = new Dialogs(invalidate);
    this.panels = this.makePanels();
    this.ctx = this.makeContext();
    // The tracker and the class index listen first, so views that listen after them see the update.
    for (const r of app.events.recent(2000)) this.progress.feed(r);
    this.cleanups.push(app.events.subscribe((r) => this.onEvent(r)));
    this.cleanups.push(app.store.watch(() => this.ctx.relations.classesChanged(), { kinds: ['ServerClass'] }));
    openRoot(this, 'servers');
    if (app.config.firstStart) this.push(new SetupView(this.ctx, app.config.settings, opts.interfaces));
    this.term.onKey((k) => this.onKey(k));
    this.term.onResize(() => this.scheduler.flush());
    const tick = setInterval(() => this.scheduler.invalidate(), 1000);
    tick.unref();
    this.cleanups.push(() => clearInterval(tick));
    this.scheduler.flush();
    this.firstPaintMs = performance.now() - t0;
    this.log.line(`console started in ${this.firstPaintMs.toFixed(0)} ms at ${this.term.width}x${this.term.height}`);
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

  private onEvent(r: import('../events/index.js').EventRecord): void {
    this.progress.feed(r);
    if (this.activity.feed(r) || r.event.type === 'service.state') this.scheduler.invalidate();
  }

  private makePanels(): Panels {
    const p = this.theme.palette;
    const header = this.term.panel();
    const prompt = this.term.panel({ border: true });
    const main = this.term.panel({ border: true });
    const crumbs = this.term.panel();
    const flash = this.term.panel();
    const dialog = this.term.panel({ border: true });
    main.style({ border: p.border });
    prompt.style({ border: p.accent });
    dialog.style({ border: p.accent });
    prompt.hide();
    dialog.hide();
    return { header, prompt, main, crumbs, flash, dialog };
  }

  private makeContext(): ConsoleContext {
    const app = this.opts.app;
    const scheduler = this.scheduler;
    const call = <T>(name: string, args: unknown) => runOp(app.ops, name, args) as Promise<T>;
    return {
      store: app.store,
      events: app.events,
      ops: app.ops,
      theme: this.theme,
      flash: this.flash,
      dialogs: this.dialogs,
      relations: new Relations(app.store),
      progress: this.progress,
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
          if (msg) this.flash.info(msg);
          return (r === undefined ? null : r) as T;
        } catch (e) {
          this.flash.error(errorMessage(e));
          this.log.line(`${name}: ${errorMessage(e)}`);
          return undefined;
        } finally {
          end();
        }
      },
      push: (v) => this.push(v),
      pop: () => this.pop(),
      open: (name, filter) => openRoot(this, name, filter),
      edit: (target) => this.edit(target),
      cwd: this.opts.cwd ?? process.cwd(),
      now: () => Date.now(),
      log: (l) => this.log.line(l),
    };
  }

  private async edit(target: EditTarget): Promise<void> {
    const end = this.scheduler.begin();
    try {
      await editLoop(target, {
        suspend: async (run) => {
          this.suspended = true;
          try {
            return await this.term.suspend(run);
          } finally {
            this.suspended = false;
            this.scheduler.flush();
          }
        },
        editor: editorCommand(this.opts.env ?? process.env),
        stdio: this.opts.editorStdio ?? 'inherit',
        drafts: this.drafts,
        info: (t) => this.flash.info(t),
        error: (t) => this.flash.error(t),
      });
    } catch (e) {
      this.flash.error(`edit failed: ${errorMessage(e)}`);
    } finally {
      end();
    }
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
    const W = this.term.width;
    const H = this.term.height;
    const t = this.theme;
    const root = this.roots.get('servers');
    if (root && root !== this.top) root.sync(now);
    const view = this.top;
    view.sync(now);
    const headerRows = H >= 30 ? 6 : H >= 18 ? 5 : 0;
    const promptRows = this.prompt ? 3 : 0;
    const mainTop = headerRows + promptRows;
    const mainH = Math.max(3, H - mainTop - 2);
    const { header, prompt, main, crumbs, flash, dialog } = this.panels;
    if (headerRows) {
      const st = this.opts.app.status();
      const s = this.opts.app.config.settings;
      const c = this.serverCounts();
      header.show();
      header.place({ top: 0, left: 0, width: W, height: headerRows });
      header.setContent(
        headerLines(t, { version: VERSION, address: st.address, iface: st.interface, dhcpMode: s.dhcp.mode, ports: { dhcp: s.dhcp.port, tftp: s.tftp.port, http: s.http.port }, services: st.services, counts: c.counts, total: c.total, hints: hints(this.actionsOf(view)), activity: this.activity }, W, headerRows).join('\n'),
      );
    } else header.hide();
    if (this.prompt) {
      prompt.show();
      prompt.place({ top: headerRows, left: 0, width: W, height: 3 });
      const sign = this.prompt.kind === 'command' ? ':' : '/';
      const err = this.prompt.error ? `  ${t.fg('err', safe(truncate(this.prompt.error, Math.max(10, W - 40))))}` : '';
      prompt.setContent(` ${t.fg('accent', t.bold(sign))}${drawEditor(this.prompt.editor, t, Math.max(10, W - 6 - (err ? Math.min(W - 40, this.prompt.error.length + 2) : 0)))}${err}`);
    } else prompt.hide();
    main.place({ top: mainTop, left: 0, width: W, height: mainH });
    main.setLabel(view.title());
    main.setContent(view.draw({ width: W - 2, height: mainH - 2 }, now).join('\n'));
    crumbs.place({ top: mainTop + mainH, left: 0, width: W, height: 1 });
    crumbs.setContent(this.stack.map((v, i) => (i === this.stack.length - 1 ? t.bar('accent', ` ${safe(v.crumb)} `, 'selFg') : t.bar('border', ` ${safe(v.crumb)} `, 'text'))).join(' '));
    flash.place({ top: mainTop + mainH + 1, left: 0, width: W, height: 1 });
    const m = this.flash.message(now);
    flash.setContent(m ? ` ${t.fg(m.level === 'error' ? 'err' : m.level === 'warn' ? 'warn' : 'info', safe(truncate(m.text, W - 2)))}` : '');
    const frame = this.dialogs.top(t, Math.max(20, W - 4));
    if (frame) {
      const h = Math.min(H - 2, frame.lines.length + 2);
      dialog.show();
      dialog.front();
      dialog.place({ top: Math.max(0, Math.floor((H - h) / 2)), left: Math.max(0, Math.floor((W - frame.width) / 2)), width: frame.width, height: h });
      dialog.setLabel(` ${t.bold(safe(frame.title))} `);
      dialog.setContent(frame.lines.join('\n'));
    } else dialog.hide();
    this.term.render();
  }
}
