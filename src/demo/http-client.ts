/**
 * HTTP as a simulated machine speaks it: plain GET from the machine's own loopback address (so boot tokens
 * bound to the requester's address work as on a real network), the body read in full.
 */
import { request } from 'node:http';
import { connect } from 'node:net';

export type Fetched = { ok: true; body: Buffer } | { ok: false; status: number };

export function httpGet(url: string, from: string, timeoutMs = 15_000): Promise<Fetched> {
  return new Promise((resolve) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return resolve({ ok: false, status: 0 });
    }
    if (u.protocol !== 'http:') return resolve({ ok: false, status: 0 });
    const req = request({ host: u.hostname, port: u.port || 80, path: `${u.pathname}${u.search}`, method: 'GET', localAddress: from, timeout: timeoutMs, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(res.statusCode === 200 ? { ok: true, body: Buffer.concat(chunks) } : { ok: false, status: res.statusCode ?? 0 }));
      res.on('error', () => resolve({ ok: false, status: 0 }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ ok: false, status: 0 }));
    req.end();
  });
}

/** Send lines to a TCP log sink (Talos's `talos.logging.kernel=tcp://host:port`); false when nobody listens. */
export function sendLines(target: string, from: string, lines: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    let u: URL;
    try {
      u = new URL(target);
    } catch {
      return resolve(false);
    }
    const sock = connect({ host: u.hostname, port: Number(u.port), localAddress: from });
    sock.on('error', () => resolve(false));
    sock.on('connect', () => {
      sock.end(lines.map((l) => `${l}\n`).join(''), () => resolve(true));
    });
    sock.setTimeout(5000, () => sock.destroy());
  });
}
