/** Small response helpers shared by the routes: every answer has a Content-Length; HEAD gets no body. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'bad request',
  403: 'forbidden',
  404: 'not found',
  405: 'method not allowed',
  412: 'precondition failed',
  413: 'request too large',
  416: 'range not satisfiable',
  500: 'internal error',
  503: 'busy, try again',
};

/** The body goes as a string: Node then sends the head and the body in one write. */
export function send(req: IncomingMessage, res: ServerResponse, status: number, body: string, headers: Record<string, string | number> = {}): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body, 'utf8'),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(req.method === 'HEAD' ? undefined : body, 'utf8');
}

/** An error answer: the status's own words, plus `detail` only where it reveals nothing (never for 403). */
export function sendError(req: IncomingMessage, res: ServerResponse, status: number, detail?: string, headers: Record<string, string | number> = {}): void {
  const text = STATUS_TEXT[status] ?? 'error';
  send(req, res, status, detail ? `${text}: ${detail}\n` : `${text}\n`, headers);
}

/** An iPXE script. */
export function sendScript(req: IncomingMessage, res: ServerResponse, script: string): void {
  send(req, res, 200, script, { 'content-type': 'text/plain; charset=utf-8' });
}

/** The requester's IPv4 address without the IPv6-mapped prefix. */
export function peerAddress(req: IncomingMessage): string {
  return plainAddress(req.socket.remoteAddress ?? '');
}

export function plainAddress(a: string): string {
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}

/** `http://<address>:<port>` as this machine reached us (or the advertised address when set). */
export function baseUrl(req: IncomingMessage, advertised: string, port: number): string {
  const addr = advertised || plainAddress(req.socket.localAddress ?? '127.0.0.1');
  return `http://${addr.includes(':') ? `[${addr}]` : addr}:${port}`;
}
