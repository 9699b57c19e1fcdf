/**
 * A real QEMU with no guest (`-machine none`), started paused (-S: "off"), with two QMP sockets: one for
 * the driver under test, one kept open by the test to read the VM's state and the events QEMU emits
 * (RESUME, STOP, RESET, POWERDOWN).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export class QemuVm {
  readonly dir = mkdtempSync(join(tmpdir(), `power-qemu-${process.pid}-`));
  readonly socketPath = join(this.dir, 'qmp.sock');
  private readonly observerPath = join(this.dir, 'observer.sock');
  private proc: ChildProcess | undefined;
  private obs: Socket | undefined;
  private buf = '';
  private replies: ((v: Record<string, unknown>) => void)[] = [];
  readonly events: string[] = [];

  async start(): Promise<void> {
    this.proc = spawn('qemu-system-x86_64', [
      '-machine', 'none', '-display', 'none', '-S', '-no-shutdown', '-nodefaults',
      '-qmp', `unix:${this.socketPath},server,wait=off`,
      '-qmp', `unix:${this.observerPath},server,wait=off`,
    ], { stdio: 'ignore' });
    const until = Date.now() + 10_000;
    while (!existsSync(this.observerPath) || !existsSync(this.socketPath)) {
      if (Date.now() > until || this.proc.exitCode !== null) throw new Error('QEMU did not create its QMP sockets');
      await sleep(50);
    }
    this.obs = createConnection(this.observerPath);
    this.obs.setEncoding('utf8');
    this.obs.on('data', (c: string) => this.onData(c));
    await new Promise<void>((r) => this.obs!.once('connect', () => r()));
    await this.command('qmp_capabilities');
  }

  private onData(chunk: string): void {
    this.buf += chunk;
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const msg = JSON.parse(this.buf.slice(0, nl)) as Record<string, unknown>;
      this.buf = this.buf.slice(nl + 1);
      if ('event' in msg) this.events.push(String(msg['event']));
      else if ('return' in msg || 'error' in msg) this.replies.shift()?.(msg);
    }
  }

  private command(execute: string): Promise<Record<string, unknown>> {
    return new Promise((resolve) => {
      this.replies.push(resolve);
      this.obs!.write(`${JSON.stringify({ execute })}\n`);
    });
  }

  /** QEMU's own run state: running, prelaunch, paused, shutdown … */
  async runState(): Promise<string> {
    const r = await this.command('query-status');
    return String((r['return'] as { status: string }).status);
  }

  async stop(): Promise<void> {
    this.obs?.destroy();
    const p = this.proc;
    if (p && p.exitCode === null) {
      const gone = new Promise<void>((r) => p.once('exit', () => r()));
      p.kill('SIGTERM');
      await Promise.race([gone, sleep(3000)]);
      if (p.exitCode === null) p.kill('SIGKILL');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
