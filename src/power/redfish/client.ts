/**
 * A small Redfish client: JSON over HTTPS with a session (`X-Auth-Token`), the BMC's certificate checked
 * by pinning (tls.ts), every request bounded by a deadline, and failures turned into the power error
 * classes. It never includes the password in an error.
 */
import { MetalboxError } from '../../util/errors.js';
import { authFailed, bmcError, POWER_ERROR_CODES, redact, unreachable, unsupported } from '../errors.js';
import { CertificateMismatch, PinningAgent, type TlsPolicy } from './tls.js';

export interface RedfishClientOptions {
  /** `https://host[:port]`. */
  baseUrl: string;
  user: string;
  password: string;
  tls: TlsPolicy;
  timeoutMs: number;
}

export interface RedfishResponse {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export class RedfishClient {
  readonly target: string;
  private readonly tls: PinningAgent;
  private token: string | undefined;
  private sessionUrl: string | undefined;

  constructor(private readonly opts: RedfishClientOptions) {
    this.target = `BMC ${new URL(opts.baseUrl).host} (redfish)`;
    this.tls = new PinningAgent(opts.tls, opts.timeoutMs);
  }

  /** The certificate fingerprint in force (given, or learnt on first use). */
  get fingerprint(): string | undefined {
    return this.tls.fingerprint;
  }
  set onPinned(fn: ((fingerprint: string) => void) | undefined) {
    this.tls.onPinned = fn;
  }

  /** A request with the session token; logs in first, and once more if the session expired. */
  async call(method: Method, path: string, body?: unknown, headers: Record<string, string> = {}, deadline = this.deadline()): Promise<RedfishResponse> {
    if (!this.token) await this.login(deadline);
    let res = await this.send(method, path, body, { ...headers, 'X-Auth-Token': this.token! }, deadline);
    if (res.status === 401) {
      this.token = undefined;
      await this.login(deadline);
      res = await this.send(method, path, body, { ...headers, 'X-Auth-Token': this.token! }, deadline);
    }
    if (res.status === 401 || res.status === 403) throw authFailed(this.target, `HTTP ${res.status} on ${path}`);
    return res;
  }

  /** GET that must succeed. */
  async getJson(path: string, deadline?: number): Promise<RedfishResponse> {
    const res = await this.call('GET', path, undefined, {}, deadline);
    if (res.status !== 200) throw this.httpError(`read ${path}`, res);
    return res;
  }

  deadline(): number {
    return Date.now() + this.opts.timeoutMs;
  }

  /** Log in through the SessionService named by the ServiceRoot. */
  private async login(deadline: number): Promise<void> {
    const root = await this.send('GET', '/redfish/v1/', undefined, {}, deadline);
    if (root.status !== 200) throw this.httpError('serve the Redfish service root /redfish/v1/', root);
    const sessions = odataId((root.body['Links'] as Record<string, unknown> | undefined)?.['Sessions']) ?? '/redfish/v1/SessionService/Sessions';
    const res = await this.send('POST', sessions, { UserName: this.opts.user, Password: this.opts.password }, {}, deadline);
    if (res.status === 401 || res.status === 403 || res.status === 400) throw authFailed(this.target, `session login answered HTTP ${res.status}`);
    if (res.status !== 201 && res.status !== 200) throw this.httpError('open a session', res);
    const token = res.headers['x-auth-token'];
    if (!token) throw bmcError(this.target, 'the session login answered without an X-Auth-Token');
    this.token = token;
    this.sessionUrl = res.headers['location'] ?? odataId(res.body);
  }

  /** End the session (BMCs allow only a few at once) and close the connections. */
  async close(): Promise<void> {
    if (this.token && this.sessionUrl) {
      const path = this.sessionUrl.startsWith('http') ? new URL(this.sessionUrl).pathname : this.sessionUrl;
      await this.send('DELETE', path, undefined, { 'X-Auth-Token': this.token }, Date.now() + 2000).catch(() => undefined);
    }
    this.token = undefined;
    await this.tls.close();
  }

  private async send(method: Method, path: string, body: unknown, headers: Record<string, string>, deadline: number): Promise<RedfishResponse> {
    const left = deadline - Date.now();
    if (left <= 0) throw unreachable(this.target, `no answer within ${this.opts.timeoutMs / 1000} s`);
    const url = new URL(path, this.opts.baseUrl);
    try {
      const dispatcher = await this.tls.agent();
      const res = await dispatcher.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method,
        headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(left),
        headersTimeout: left,
        bodyTimeout: left,
      });
      const text = await res.body.text();
      return { status: res.statusCode, headers: flatHeaders(res.headers), body: parseBody(text) };
    } catch (e) {
      throw this.transportError(e);
    }
  }

  private transportError(e: unknown): MetalboxError {
    const cause = e instanceof Error && e.cause instanceof CertificateMismatch ? e.cause : e;
    if (cause instanceof CertificateMismatch) {
      return new MetalboxError(POWER_ERROR_CODES.certMismatch, `${this.target}: ${cause.message}; nothing was sent to it`, {
        hint:
          'if the BMC\'s certificate was replaced on purpose, remove the annotation metalbox.dev/bmc-cert-sha256 ' +
          'from the server (the new one is pinned on next use) or set it to the new fingerprint; otherwise something ' +
          'is answering in the BMC\'s place',
      });
    }
    const msg = e instanceof Error ? e.message : String(e);
    const name = e instanceof Error ? e.name : '';
    const detail = name === 'TimeoutError' || name === 'AbortError' || /timeout/i.test(msg)
      ? `no answer within ${this.opts.timeoutMs / 1000} s`
      : msg;
    return unreachable(this.target, redact(detail, [this.opts.password]), e);
  }

  httpError(what: string, res: RedfishResponse): MetalboxError {
    const detail = redact(`HTTP ${res.status}${redfishMessage(res.body)}`, [this.opts.password]);
    if (res.status === 404 || res.status === 405 || res.status === 501) return unsupported(this.target, `${what} (${detail})`);
    return bmcError(this.target, `${what}: ${detail}`);
  }
}

export function odataId(v: unknown): string | undefined {
  const id = v && typeof v === 'object' ? (v as Record<string, unknown>)['@odata.id'] : undefined;
  return typeof id === 'string' ? id : undefined;
}

/** The message of a Redfish error body: `error.@Message.ExtendedInfo[0].Message` or `error.message`. */
export function redfishMessage(body: Record<string, unknown>): string {
  const err = body['error'] as Record<string, unknown> | undefined;
  if (!err) return '';
  const info = err['@Message.ExtendedInfo'];
  const first = Array.isArray(info) ? (info[0] as Record<string, unknown> | undefined) : undefined;
  const text = (typeof first?.['Message'] === 'string' ? first['Message'] : undefined) ?? err['message'];
  return typeof text === 'string' && text ? `: ${text.slice(0, 200)}` : '';
}

function parseBody(text: string): Record<string, unknown> {
  if (!text.trim()) return {};
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function flatHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
