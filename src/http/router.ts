/**
 * The routes and the rules every request passes first: only GET and HEAD (405 on a known path, with
 * Allow), no request body, a bounded URL with valid escapes (400), an unknown path is 404. A route that
 * fails unexpectedly answers 500 and the event log says why; nothing in a response echoes a secret.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorMessage } from '../util/errors.js';
import { serveEnvironmentFile, serveIpxeBinary } from './assets.js';
import { serveConfigData } from './configdata.js';
import type { HttpContext } from './context.js';
import { serveBootScript, serveIpxe } from './ipxe.js';
import { peerAddress, sendError } from './respond.js';

/** Longest request target accepted (iPXE's /ipxe query with every fact fits in well under 2 KB). */
export const MAX_URL_LENGTH = 4096;

/** `query` is the request target after `?`, as received ('' when none): each route reads what it needs. */
type Handler = (ctx: HttpContext, req: IncomingMessage, res: ServerResponse, query: string, parts: string[]) => Promise<void> | void;

interface Route {
  match: (parts: string[]) => boolean;
  handle: Handler;
}

const ROUTES: Route[] = [
  { match: (p) => p.length === 1 && p[0] === 'boot.ipxe', handle: (ctx, req, res, q) => serveBootScript(ctx, req, res, new URLSearchParams(q)) },
  { match: (p) => p.length === 1 && p[0] === 'ipxe', handle: (ctx, req, res, q) => serveIpxe(ctx, req, res, q) },
  { match: (p) => p.length === 1 && p[0] === 'configdata', handle: (ctx, req, res, q) => serveConfigData(ctx, req, res, new URLSearchParams(q)) },
  { match: (p) => p.length === 3 && p[0] === 'env', handle: (ctx, req, res, _q, p) => serveEnvironmentFile(ctx, req, res, p[1]!, p[2]!) },
  { match: (p) => p.length === 2 && p[0] === 'tftp', handle: (ctx, req, res, _q, p) => serveIpxeBinary(ctx, req, res, p[1]!) },
];

/** Path segments, decoded; undefined when an escape is malformed or a segment is `.`/`..`/empty. */
export function pathParts(pathname: string): string[] | undefined {
  if (pathname === '/') return [];
  const raw = pathname.split('/').slice(1);
  const out: string[] = [];
  for (const seg of raw) {
    let s: string;
    try {
      s = decodeURIComponent(seg);
    } catch {
      return undefined;
    }
    if (s === '' || s === '.' || s === '..' || s.includes('/') || s.includes('\0')) return undefined;
    out.push(s);
  }
  return out;
}

function hasBody(req: IncomingMessage): boolean {
  const len = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (len !== undefined && len !== '0');
}

export async function route(ctx: HttpContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const target = req.url ?? '';
  if (target.length > MAX_URL_LENGTH || !target.startsWith('/')) return sendError(req, res, 400, 'request target too long or malformed');
  const q = target.indexOf('?');
  const parts = pathParts(q < 0 ? target : target.slice(0, q));
  if (!parts) return sendError(req, res, 400, 'malformed path');
  const r = ROUTES.find((x) => x.match(parts));
  if (!r) return sendError(req, res, 404);
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(req, res, 405, undefined, { allow: 'GET, HEAD' });
  if (hasBody(req)) {
    res.setHeader('connection', 'close');
    return sendError(req, res, 400, 'a GET request has no body');
  }
  try {
    await r.handle(ctx, req, res, q < 0 ? '' : target.slice(q + 1), parts);
  } catch (e) {
    ctx.events.emit({ type: 'http.error', peer: peerAddress(req), path: `/${parts[0]}`, detail: errorMessage(e) });
    if (!res.headersSent) sendError(req, res, 500);
    else res.destroy();
  }
}
