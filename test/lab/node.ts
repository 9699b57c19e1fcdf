/**
 * TypeScript programs inside a lab namespace, talking JSON lines: the parent calls operations, the child
 * streams messages (events, received packets). Node cannot enter a network namespace itself, so anything
 * that must bind a socket inside one runs as such a child.
 *
 * Child side: `serveChild(async (config, emit) => ({ ops, stop }))` (see node-child.ts).
 */
import { isAbsolute, resolve } from 'node:path';
import type { Host, Lab, Segment } from './lab.js';
import type { LabProcess } from './process.js';

/** A message a child sent that was not the answer to a call. */
export type ChildMessage = Record<string, unknown> & { type: string };

export class NodeChild {
  readonly messages: ChildMessage[] = [];
  private buffered = '';
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<(m: ChildMessage) => void>();

  constructor(readonly proc: LabProcess) {
    proc.child.stdout?.on('data', (d: string) => this.onData(d));
    void proc.exited.then(() => {
      for (const p of this.pending.values()) p.reject(new Error(`child exited\n${proc.output()}`));
      this.pending.clear();
    });
  }

  private onData(d: string): void {
    this.buffered += d;
    let nl: number;
    while ((nl = this.buffered.indexOf('\n')) >= 0) {
      const line = this.buffered.slice(0, nl).trim();
      this.buffered = this.buffered.slice(nl + 1);
      if (!line.startsWith('{')) continue;
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      if (typeof msg.id === 'number' && this.pending.has(msg.id)) {
        const p = this.pending.get(msg.id)!;
        this.pending.delete(msg.id);
        if (typeof msg.error === 'string') p.reject(new Error(msg.error));
        else p.resolve(msg.result);
        continue;
      }
      if (typeof msg.type === 'string') {
        this.messages.push(msg as ChildMessage);
        for (const l of this.listeners) l(msg as ChildMessage);
      }
    }
  }

  /** Call an operation of the child; resolves with its result, rejects with its error. */
  call<T = unknown>(op: string, args: Record<string, unknown> = {}, timeoutMs = 30_000): Promise<T> {
    const id = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`child ${op} timed out\n${this.proc.output()}`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.proc.child.stdin?.write(`${JSON.stringify({ id, op, ...args })}\n`);
    });
  }

  /** The first message (already received or future) that matches. */
  waitFor(match: (m: ChildMessage) => boolean, timeoutMs: number, what = 'a message'): Promise<ChildMessage> {
    const hit = this.messages.find(match);
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const l = (m: ChildMessage) => {
        if (!match(m)) return;
        clearTimeout(timer);
        this.listeners.delete(l);
        resolve(m);
      };
      const timer = setTimeout(() => {
        this.listeners.delete(l);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${this.proc.output()}`));
      }, timeoutMs);
      this.listeners.add(l);
    });
  }

  /** Ask the child to stop (it closes its sockets) and wait for it to exit. */
  async stop(): Promise<void> {
    if (!this.proc.running) return;
    this.proc.child.stdin?.end();
    const exited = await Promise.race([this.proc.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 5000))]);
    if (!exited) await this.proc.stop();
  }
}

/**
 * Start `script` (a path relative to the repository root, or absolute) with `config` as its JSON argument,
 * inside the namespace of `where`. Resolves when the child reports `{type: 'ready'}`.
 */
export async function startNode(lab: Lab, where: Host | Segment | undefined, script: string, config: unknown, readyMs = 30_000): Promise<NodeChild> {
  const path = isAbsolute(script) ? script : resolve(process.cwd(), script);
  const proc = lab.spawn(script, where, process.execPath, ['--import', 'tsx', path, JSON.stringify(config)], { stdin: true });
  const child = new NodeChild(proc);
  await child.waitFor((m) => m.type === 'ready' || m.type === 'failed', readyMs, `${script} to be ready`).then((m) => {
    if (m.type === 'failed') throw new Error(`${script} failed to start: ${String(m.error)}${m.code ? ` (${String(m.code)})` : ''}`);
  });
  return child;
}
