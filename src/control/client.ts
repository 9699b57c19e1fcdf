import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { errnoCode, MetalboxError } from '../util/errors.js';
import { CONTROL_SOCKET, LineSplitter, type ControlReply } from './protocol.js';

/** A connection to a running instance's control socket. */
export class ControlClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    const splitter = new LineSplitter((line) => this.onReply(JSON.parse(line) as ControlReply));
    socket.on('data', (c: string) => splitter.push(c));
    socket.on('close', () => {
      for (const p of this.pending.values()) p.reject(new MetalboxError('CONTROL_CLOSED', 'the Metalbox instance closed the control connection'));
      this.pending.clear();
    });
  }

  /** Connect to the socket in `dataDir`; rejects with CONTROL_UNAVAILABLE when nothing answers. */
  static connect(dataDir: string, timeoutMs = 3000): Promise<ControlClient> {
    const path = join(dataDir, CONTROL_SOCKET);
    return new Promise((resolve, reject) => {
      const socket = connect(path);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new MetalboxError('CONTROL_UNAVAILABLE', `no answer on ${path}`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(new ControlClient(socket));
      });
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(new MetalboxError('CONTROL_UNAVAILABLE', `cannot reach the running instance at ${path} (${errnoCode(e) ?? (e as Error).message})`, { cause: e }));
      });
    });
  }

  call<T = unknown>(op: string, args: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.socket.write(JSON.stringify({ id, op, args }) + '\n');
    });
  }

  close(): void {
    this.socket.end();
  }

  private onReply(r: ControlReply): void {
    const p = this.pending.get(r.id);
    if (!p) return;
    this.pending.delete(r.id);
    if (r.ok) p.resolve(r.result);
    else p.reject(new MetalboxError(r.error.code, r.error.message, r.error.hint ? { hint: r.error.hint } : {}));
  }
}
