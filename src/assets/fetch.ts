/**
 * HTTP(S) GET for downloads, on Node's own clients: redirects followed (release assets redirect to a
 * storage host), and the body delivered chunk by chunk as it arrives, so a download cut short still hands
 * over every byte it got (what resuming needs). Errors before any answer are classified: no network
 * (DNS, refused, unreachable, timed out) or something else.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { errorMessage, errnoCode, MetalboxError } from '../util/errors.js';

const NETWORK_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE']);
const MAX_REDIRECTS = 5;
/** Time allowed for a server to answer (and between chunks). */
const TIMEOUT_MS = 30_000;

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The error of a request that got no answer, in plain words. */
export function networkError(url: string, e: unknown): MetalboxError {
  const code = errnoCode(e) ?? '';
  const offline = NETWORK_CODES.has(code);
  return new MetalboxError(
    offline ? 'ASSETS_NO_NETWORK' : 'ASSETS_DOWNLOAD_FAILED',
    offline ? `cannot reach ${hostOf(url)} (${code}): no network, or no route to it` : `downloading ${url} failed: ${errorMessage(e)}`,
    { hint: 'on a box without internet, copy the files onto a USB stick elsewhere and run `metalbox assets import DIR --env NAME`', cause: e },
  );
}

function once(url: string, headers: Record<string, string>): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch (e) {
      return reject(new MetalboxError('ASSETS_BAD_URL', `not a URL: ${url}`, { cause: e }));
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return reject(new MetalboxError('ASSETS_BAD_URL', `not an http or https URL: ${url}`));
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(u, { headers: { 'user-agent': 'metalbox', ...headers }, timeout: TIMEOUT_MS }, resolve);
    req.on('timeout', () => req.destroy(Object.assign(new Error('no answer in time'), { code: 'ETIMEDOUT' })));
    req.on('error', (e) => reject(networkError(url, e)));
    req.end();
  });
}

/** GET, following redirects; resolves with the final response (any status) and its URL. */
export async function httpGet(url: string, headers: Record<string, string> = {}): Promise<{ res: IncomingMessage; url: string }> {
  let at = url;
  for (let i = 0; i <= MAX_REDIRECTS; i++) {
    const res = await once(at, headers);
    const location = res.headers.location;
    if (res.statusCode && res.statusCode >= 300 && res.statusCode < 400 && location) {
      res.resume();
      at = new URL(location, at).toString();
      continue;
    }
    return { res, url: at };
  }
  throw new MetalboxError('ASSETS_DOWNLOAD_FAILED', `downloading ${url}: more than ${MAX_REDIRECTS} redirects`);
}

/** A whole small body as text (sha512sum.txt). */
export async function readText(res: IncomingMessage, limit = 1 << 20): Promise<string> {
  let out = '';
  for await (const chunk of res as AsyncIterable<Buffer>) {
    out += chunk.toString('utf8');
    if (out.length > limit) {
      res.destroy();
      break;
    }
  }
  return out;
}
