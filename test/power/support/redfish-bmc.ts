/**
 * A Redfish BMC for tests: HTTPS with its own self-signed certificate, answering in the
 * shapes of the DMTF Redfish mockups (ServiceRoot, SessionService, a Systems collection and one
 * ComputerSystem with the Reset action and Boot override), with sessions required. It records what it
 * was asked, so tests observe behaviour from the BMC's side.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { randomBytes, webcrypto, X509Certificate } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export const SYSTEM_ID = '437XR1138R2';
const SYSTEM = `/redfish/v1/Systems/${SYSTEM_ID}`;
const RESET = `${SYSTEM}/Actions/ComputerSystem.Reset`;
const SESSIONS = '/redfish/v1/SessionService/Sessions';

export interface RedfishBmcOptions {
  user: string;
  password: string;
  resetTypes?: string[];
  /** Delay before answering a system request, to observe concurrency. */
  delayMs?: number;
}

export interface Boot {
  BootSourceOverrideTarget: string;
  BootSourceOverrideEnabled: string;
  BootSourceOverrideMode: string;
}

/** A BMC-style self-signed P-256 certificate (what BMCs ship), made in process. */
export async function selfSignedCert(cn: string): Promise<{ key: string; cert: string; fingerprint: string }> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(8).toString('hex'),
    name: `CN=${cn}`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 86_400_000),
    keys,
    signingAlgorithm: alg,
  });
  const pem = cert.toString('pem');
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
  const key = `-----BEGIN PRIVATE KEY-----\n${pkcs8.match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`;
  return { key, cert: pem, fingerprint: new X509Certificate(pem).fingerprint256 };
}

export class RedfishBmc {
  power: 'On' | 'Off' = 'Off';
  boot: Boot = { BootSourceOverrideTarget: 'None', BootSourceOverrideEnabled: 'Disabled', BootSourceOverrideMode: 'Legacy' };
  resets: string[] = [];
  /** Every request: `METHOD path` with `+token` when it carried a valid session. */
  requests: string[] = [];
  logins = 0;
  /** Passwords the BMC received at login, to prove what was (not) sent. */
  passwordsSeen: string[] = [];
  inflight = 0;
  maxInflight = 0;
  readonly sessions = new Map<string, string>();
  port = 0;
  private etag = 1;
  private server: Server | undefined;
  /** SHA-256 of the certificate, known once started. */
  fingerprint = '';

  constructor(private readonly opts: RedfishBmcOptions) {}

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const cert = await selfSignedCert('bmc.test');
    this.fingerprint = cert.fingerprint;
    const server = createServer({ key: cert.key, cert: cert.cert }, (req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    this.port = (server.address() as { port: number }).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString();
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    const path = (req.url ?? '/').split('?')[0]!;
    const token = req.headers['x-auth-token'];
    const authed = typeof token === 'string' && this.sessions.has(token);
    this.requests.push(`${req.method} ${path}${authed ? ' +token' : ''}`);
    const send = (status: number, obj?: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'Content-Type': 'application/json', 'OData-Version': '4.0', ...headers });
      res.end(obj === undefined ? undefined : JSON.stringify(obj));
    };
    if (req.method === 'GET' && (path === '/redfish/v1/' || path === '/redfish/v1')) return send(200, serviceRoot());
    if (req.method === 'POST' && path === SESSIONS) return this.login(body, send);
    if (!authed) return send(401, redfishError('Base.1.8.NoValidSession', 'There is no valid session established with the implementation.'));
    this.inflight++;
    this.maxInflight = Math.max(this.maxInflight, this.inflight);
    try {
      if (this.opts.delayMs) await sleep(this.opts.delayMs);
      this.route(req.method ?? 'GET', path, body, req.headers['if-match'], send);
    } finally {
      this.inflight--;
    }
  }

  private login(body: Record<string, unknown>, send: (s: number, o?: unknown, h?: Record<string, string>) => void): void {
    this.passwordsSeen.push(String(body['Password']));
    if (body['UserName'] !== this.opts.user || body['Password'] !== this.opts.password) {
      return send(401, redfishError('Base.1.8.NoValidSession', 'Invalid username or password'));
    }
    this.logins++;
    const id = String(this.logins);
    const token = `tok-${id}-${Math.random().toString(36).slice(2)}`;
    this.sessions.set(token, id);
    send(201, { '@odata.id': `${SESSIONS}/${id}`, Id: id, UserName: body['UserName'] }, { 'X-Auth-Token': token, Location: `${SESSIONS}/${id}` });
  }

  private route(method: string, path: string, body: Record<string, unknown>, ifMatch: string | string[] | undefined, send: (s: number, o?: unknown, h?: Record<string, string>) => void): void {
    if (method === 'DELETE' && path.startsWith(`${SESSIONS}/`)) {
      for (const [t, id] of this.sessions) if (`${SESSIONS}/${id}` === path) this.sessions.delete(t);
      return send(204);
    }
    if (method === 'GET' && path === '/redfish/v1/Systems') {
      return send(200, { '@odata.id': '/redfish/v1/Systems', Name: 'Computer System Collection', 'Members@odata.count': 1, Members: [{ '@odata.id': SYSTEM }] });
    }
    if (method === 'GET' && path === SYSTEM) return send(200, this.system(), { ETag: `W/"${this.etag}"` });
    if (method === 'PATCH' && path === SYSTEM) {
      if (ifMatch !== undefined && ifMatch !== `W/"${this.etag}"`) return send(412, redfishError('Base.1.8.PreconditionFailed', 'ETag mismatch'));
      const b = (body['Boot'] ?? {}) as Partial<Boot>;
      if (b.BootSourceOverrideTarget && !BOOT_TARGETS.includes(b.BootSourceOverrideTarget)) {
        return send(400, redfishError('Base.1.8.PropertyValueNotInList', `The value ${b.BootSourceOverrideTarget} is not in the list`));
      }
      this.boot = { ...this.boot, ...b };
      this.etag++;
      return send(204);
    }
    if (method === 'POST' && path === RESET) {
      const type = String(body['ResetType']);
      if (!this.resetTypes().includes(type)) return send(400, redfishError('Base.1.8.ActionParameterNotSupported', `ResetType ${type} is not supported`));
      this.resets.push(type);
      if (type === 'On' || type === 'ForceOn' || type === 'ForceRestart' || type === 'PowerCycle') this.power = 'On';
      if (type === 'ForceOff' || type === 'GracefulShutdown') this.power = 'Off';
      this.etag++;
      return send(204);
    }
    send(404, redfishError('Base.1.8.ResourceMissingAtURI', `The resource at the URI ${path} was not found.`));
  }

  private resetTypes(): string[] {
    return this.opts.resetTypes ?? ['On', 'ForceOff', 'GracefulShutdown', 'GracefulRestart', 'ForceRestart', 'Nmi', 'ForceOn', 'PushPowerButton', 'PowerCycle'];
  }

  private system(): Record<string, unknown> {
    return {
      '@odata.type': '#ComputerSystem.v1_20_0.ComputerSystem',
      '@odata.id': SYSTEM,
      Id: SYSTEM_ID,
      Name: 'WebFrontEnd483',
      SystemType: 'Physical',
      Manufacturer: 'Contoso',
      Model: '3500',
      PowerState: this.power,
      Boot: { ...this.boot, 'BootSourceOverrideTarget@Redfish.AllowableValues': BOOT_TARGETS },
      Actions: { '#ComputerSystem.Reset': { target: RESET, 'ResetType@Redfish.AllowableValues': this.resetTypes() } },
    };
  }
}

const BOOT_TARGETS = ['None', 'Pxe', 'Cd', 'Usb', 'Hdd', 'BiosSetup', 'Utilities', 'Diags', 'SDCard', 'UefiTarget'];

function serviceRoot(): Record<string, unknown> {
  return {
    '@odata.type': '#ServiceRoot.v1_15_0.ServiceRoot',
    '@odata.id': '/redfish/v1/',
    Id: 'RootService',
    Name: 'Root Service',
    RedfishVersion: '1.15.0',
    Systems: { '@odata.id': '/redfish/v1/Systems' },
    SessionService: { '@odata.id': '/redfish/v1/SessionService' },
    Links: { Sessions: { '@odata.id': SESSIONS } },
  };
}

function redfishError(id: string, message: string): Record<string, unknown> {
  return { error: { code: id, message, '@Message.ExtendedInfo': [{ MessageId: id, Message: message, Severity: 'Critical' }] } };
}
