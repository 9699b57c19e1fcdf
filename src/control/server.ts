import { chmodSync, existsSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { MetalboxError } from '../util/errors.js';
import { CONTROL_SOCKET, LineSplitter, type ControlReply, type ControlRequest } from './protocol.js';

/** Runs one named operation; the owning app supplies it (src/ops). */
export type OpRunner = (op: string, args: unknown) => Promise<unknown>;

/**
 * The control socket of the instance that owns a data directory: CLI commands run while it runs go
 * through here, so that exactly one process writes the state. Mode 0600, in a 0700 directory.
 */
export class ControlServer {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  readonly path: string;

  constructor(dataDir: string, private readonly run: OpRunner) {
    this.path = join(dataDir, CONTROL_SOCKET);
  }

  async start(): Promise<void> {
    // We hold the data directory lock, so a socket file here is a leftover of a dead instance.
    if (existsSync(this.path)) rmSync(this.path, { force: true });
    const server = createServer((s) => this.accept(s));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.path, () => {
        server.off('error', reject);
        resolve();
      });
    });
    chmodSync(this.path, 0o600);
    this.server = server;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
    rmSync(this.path, { force: true });
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.setEncoding('utf8');
    const splitter = new LineSplitter((line) => void this.handle(socket, line));
    socket.on('data', (chunk: string) => {
      try {
        splitter.push(chunk);
      } catch (e) {
        socket.end(JSON.stringify({ id: 0, ok: false, error: { code: 'CONTROL_BAD_REQUEST', message: (e as Error).message } }) + '\n');
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }

  private async handle(socket: Socket, line: string): Promise<void> {
    let req: ControlRequest;
    try {
      req = JSON.parse(line) as ControlRequest;
      if (typeof req.op !== 'string' || typeof req.id !== 'number') throw new Error('expected {id, op, args}');
    } catch (e) {
      this.reply(socket, { id: 0, ok: false, error: { code: 'CONTROL_BAD_REQUEST', message: `malformed request: ${(e as Error).message}` } });
      return;
    }
    try {
      const result = await this.run(req.op, req.args);
      this.reply(socket, { id: req.id, ok: true, result: result ?? null });
    } catch (e) {
      const err =
        e instanceof MetalboxError
          ? { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) }
          : { code: 'INTERNAL', message: (e as Error)?.message ?? String(e) };
      this.reply(socket, { id: req.id, ok: false, error: err });
    }
  }

  private reply(socket: Socket, r: ControlReply): void {
    if (!socket.destroyed) socket.write(JSON.stringify(r) + '\n');
  }
}
