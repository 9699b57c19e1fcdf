/**
 * A console on fake terminal streams (aesthetics.md 5.5): keys go in as the bytes a terminal sends, the
 * screen comes out as text from blessed's cell buffer. Each key waits until the console is idle (no frame
 * pending, no operation running), so assertions see the settled screen.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import 'reflect-metadata';
import { buildApp, type App } from '../../src/app.js';
import { defaultSettings, type Settings } from '../../src/config/index.js';
import { Console, type ConsoleOptions } from '../../src/tui/console.js';

export const KEY = {
  enter: '\r',
  esc: '\x1b',
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  tab: '\t',
  backspace: '\x7f',
  ctrlD: '\x04',
  ctrlC: '\x03',
  ctrlSpace: '\x00',
  space: ' ',
} as const;

export interface FakeTty {
  input: PassThrough & { isTTY: boolean; setRawMode: (b: boolean) => void; isRaw?: boolean };
  output: PassThrough & { isTTY: boolean; columns: number; rows: number; getWindowSize: () => [number, number] };
}

export function fakeTty(cols: number, rows: number): FakeTty {
  const output = Object.assign(new PassThrough(), { isTTY: true, columns: cols, rows, getWindowSize: (): [number, number] => [output.columns, output.rows] });
  output.resume(); // nobody reads the escape codes; the cell buffer is the truth
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: (b: boolean) => void (input.isRaw = b), isRaw: false as boolean | undefined });
  return { input, output };
}

export interface Harness {
  app: App;
  console: Console;
  tty: FakeTty;
  dataDir: string;
  press(...keys: string[]): Promise<void>;
  type(text: string): Promise<void>;
  screen(): string[];
  text(): string;
  /** The row that contains `needle`, or undefined. */
  line(needle: string | RegExp): string | undefined;
  waitFor(pred: (text: string) => boolean, ms?: number): Promise<void>;
  resize(cols: number, rows: number): Promise<void>;
  settle(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  cols?: number;
  rows?: number;
  term?: string;
  env?: NodeJS.ProcessEnv;
  firstStart?: boolean;
  settings?: (s: Settings) => void;
  seed?: (app: App) => Promise<void>;
  console?: Partial<ConsoleOptions>;
  /** Start the appliance's services (controllers, HTTP on a free port), as `metalbox` does. */
  start?: boolean;
}

export async function startConsole(o: HarnessOptions = {}): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), `mbx-tui-${process.pid}-`));
  const settings = defaultSettings();
  // Free ports for everything the appliance listens on, so parallel test files never collide.
  settings.http.port = 0;
  settings.tftp.port = 0;
  settings.talos.eventsPort = 0;
  settings.talos.kernelLogPort = 0;
  o.settings?.(settings);
  const app = await buildApp({ dataDir, settings, firstStart: o.firstStart ?? false });
  await o.seed?.(app);
  if (o.start) await app.start();
  const tty = fakeTty(o.cols ?? 100, o.rows ?? 30);
  const c = new Console({ app, input: tty.input, output: tty.output, term: o.term ?? 'xterm-256color', env: o.env ?? { ...process.env, EDITOR: 'true' }, editorStdio: 'ignore', cwd: dataDir, ...o.console });
  const settle = async () => {
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
    await c.idle();
    for (let i = 0; i < 2; i++) await new Promise((r) => setImmediate(r));
    await c.idle();
  };
  await settle();
  const h: Harness = {
    app,
    console: c,
    tty,
    dataDir,
    settle,
    async press(...keys) {
      for (const k of keys) {
        tty.input.write(k);
        await settle();
      }
    },
    async type(text) {
      for (const ch of text) {
        tty.input.write(ch);
        await settle();
      }
    },
    screen: () => c.snapshot(),
    text: () => c.snapshot().join('\n'),
    line: (needle) => c.snapshot().find((l) => (typeof needle === 'string' ? l.includes(needle) : needle.test(l))),
    async waitFor(pred, ms = 5000) {
      const until = Date.now() + ms;
      for (;;) {
        await settle();
        if (pred(h.text())) return;
        if (Date.now() > until) throw new Error(`timed out waiting; the screen is:\n${h.text()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async resize(cols, rows) {
      tty.output.columns = cols;
      tty.output.rows = rows;
      tty.output.emit('resize');
      await new Promise((r) => setTimeout(r, 20));
      await settle();
    },
    async close() {
      await c.quit('test finished');
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return h;
}

/** A Server object as discovery would make it. */
export function server(name: string, spec: Record<string, unknown> = {}, labels: Record<string, string> = {}): never {
  return { apiVersion: 'metal.sidero.dev/v1alpha2', kind: 'Server', metadata: { name, labels }, spec: { accepted: false, ...spec } } as never;
}
