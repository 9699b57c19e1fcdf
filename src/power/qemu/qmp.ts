/**
 * A QMP (QEMU Machine Protocol) client over a unix socket: newline-delimited JSON, a greeting, capability
 * negotiation, then one command at a time. Asynchronous events are skipped. One connection per use.
 */
import { createConnection, type Socket } from 'node:net';

export class QmpError extends Error {
  constructor(
    readonly errorClass: string,
    desc: string,
  ) {
    super(desc);
    this.name = 'QmpError';
  }
}

export type QmpExecute = (command: string, args?: Record<string, unknown>) => Promise<unknown>;

/** `unix:/path`, `/path` or `host:port`, as `-qmp` takes them. */
export function qmpAddress(endpoint: string): { path: string } | { host: string; port: number } {
  if (endpoint.startsWith('unix:')) return { path: endpoint.slice(5).split(',')[0]! };
  if (endpoint.startsWith('/')) return { path: endpoint };
  const m = /^(?:tcp:)?(.+):(\d+)$/.exec(endpoint);
  if (!m) throw new Error(`not a QMP address: ${JSON.stringify(endpoint)} (expected unix:/path or host:port)`);
  return { host: m[1]!, port: Number(m[2]) };
}

/** Connect, negotiate, run `fn` with an execute function, and close; all within `timeoutMs`. */
export async function withQmp<T>(endpoint: string, timeoutMs: number, fn: (execute: QmpExecute) => Promise<T>): Promise<T> {
  const sock = createConnection(qmpAddress(endpoint));
  const lines = lineReader(sock);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${timeoutMs / 1000} s`), { code: 'ETIMEDOUT' })), timeoutMs);
  });
  const run = async (): Promise<T> => {
    await new Promise<void>((resolve, reject) => {
      sock.once('connect', resolve);
      sock.once('error', reject);
    });
    const greeting = await lines.next();
    if (!greeting || !('QMP' in greeting)) throw new QmpError('Protocol', 'the socket did not greet with QMP');
    const execute: QmpExecute = async (command, args) => {
      sock.write(`${JSON.stringify(args ? { execute: command, arguments: args } : { execute: command })}\n`);
      for (;;) {
        const msg = await lines.next();
        if (!msg) throw new QmpError('Protocol', 'QEMU closed the connection');
        if ('event' in msg) continue;
        if ('error' in msg) {
          const err = msg['error'] as { class?: string; desc?: string };
          throw new QmpError(err.class ?? 'GenericError', err.desc ?? 'unknown error');
        }
        if ('return' in msg) return msg['return'];
      }
    };
    await execute('qmp_capabilities');
    return fn(execute);
  };
  try {
    return await Promise.race([run(), timeout]);
  } finally {
    clearTimeout(timer);
    sock.destroy();
  }
}

/** Parsed JSON objects, one per line, as an async pull; undefined at end of stream. */
function lineReader(sock: Socket): { next(): Promise<Record<string, unknown> | undefined> } {
  let buf = '';
  const ready: (Record<string, unknown> | undefined)[] = [];
  const waiting: ((v: Record<string, unknown> | undefined) => void)[] = [];
  let failure: Error | undefined;
  const push = (v: Record<string, unknown> | undefined): void => {
    const w = waiting.shift();
    if (w) w(v);
    else ready.push(v);
  };
  sock.setEncoding('utf8');
  sock.on('data', (chunk: string) => {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (!line) continue;
      try {
        push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not JSON: not a QMP line; ignore it
      }
    }
  });
  sock.on('error', (e) => (failure = e));
  sock.on('close', () => push(undefined));
  return {
    next: () => {
      if (ready.length > 0) return Promise.resolve(ready.shift());
      if (failure) return Promise.reject(failure);
      return new Promise((resolve) => waiting.push(resolve));
    },
  };
}
