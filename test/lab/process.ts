/** Long-running lab processes (dnsmasq, tcpdump, QEMU, DHCP clients, Node children) with captured output. */
import { type ChildProcess, spawn } from 'node:child_process';
import { sleep } from './sh.js';

export class LabProcess {
  private out = '';
  private err = '';
  readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (d: string) => this.append('out', d));
    child.stderr?.on('data', (d: string) => this.append('err', d));
    this.exited = new Promise((resolve) => {
      child.on('error', (e) => {
        this.append('err', `spawn error: ${e.message}\n`);
        this.exitCode = null;
        resolve(null);
      });
      child.on('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? -1 : null);
        this.notify();
        resolve(this.exitCode);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  get stdout(): string {
    return this.out;
  }

  get stderr(): string {
    return this.err;
  }

  /** Both streams, for failure messages. */
  output(): string {
    return `--- ${this.name} stdout ---\n${this.out}\n--- ${this.name} stderr ---\n${this.err}`;
  }

  private append(which: 'out' | 'err', d: string): void {
    // Keep memory bounded for chatty programs: the last 4 MB is enough to debug a failure.
    if (which === 'out') this.out = (this.out + d).slice(-(4 << 20));
    else this.err = (this.err + d).slice(-(4 << 20));
    this.notify();
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Wait until stdout or stderr matches; rejects on exit or timeout with the output so far. */
  waitForOutput(re: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const m = this.out.match(re) ?? this.err.match(re);
        if (m) return done(() => resolve(m));
        if (!this.running) return done(() => reject(new Error(`${this.name} exited (${this.exitCode}) before ${re}\n${this.output()}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`${this.name}: no ${re} within ${timeoutMs} ms\n${this.output()}`))), timeoutMs);
      const done = (f: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        f();
      };
      this.waiters.add(check);
      check();
    });
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  async stop(graceMs = 2000): Promise<void> {
    if (!this.running || this.child.pid === undefined) return;
    this.child.kill('SIGTERM');
    const gone = await Promise.race([this.exited.then(() => true), sleep(graceMs).then(() => false)]);
    if (!gone) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}

export interface SpawnOptions {
  /** Run inside this network namespace (`ip netns exec`). */
  ns?: string | undefined;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Keep stdin open as a pipe (for JSON-lines children). */
  stdin?: boolean;
}

export function spawnProcess(name: string, cmd: string, args: readonly string[], opts: SpawnOptions = {}): LabProcess {
  const [file, argv] = opts.ns ? ['ip', ['netns', 'exec', opts.ns, cmd, ...args]] : [cmd, [...args]];
  const child = spawn(file, argv, {
    stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    env: opts.env ?? process.env,
    cwd: opts.cwd,
  });
  return new LabProcess(name, child);
}
