import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathParts } from '../../src/http/index.js';
import { fetchRaw, startRig, type Rig } from './helpers.js';

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(() => rig?.close());

function raw(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(rig.http.port(), '127.0.0.1', () => s.write(text));
    let out = '';
    s.on('data', (d) => (out += d.toString()));
    s.on('end', () => resolve(out));
    s.on('error', reject);
    setTimeout(() => s.destroy(), 3000).unref();
  });
}

describe('HTTP rules', () => {
  it('serves /boot.ipxe with a Content-Length, and HEAD without a body', async () => {
    const r = await fetchRaw(`${rig.base}/boot.ipxe`);
    expect(r.status).toBe(200);
    expect(r.text.startsWith('#!ipxe\n')).toBe(true);
    expect(r.text).toContain(`chain --replace ${rig.base}/ipxe?uuid=\${uuid}`);
    expect(Number(r.headers['content-length'])).toBe(r.body.length);
    const h = await fetchRaw(`${rig.base}/boot.ipxe`, { method: 'HEAD' });
    expect(h.status).toBe(200);
    expect(h.body.length).toBe(0);
    expect(h.headers['content-length']).toBe(r.headers['content-length']);
  });

  it('unknown path: 404', async () => {
    for (const p of ['/', '/nope', '/ipxe/extra', '/env/default', '/tftp', '/boot.ipxe.bak']) expect((await fetchRaw(`${rig.base}${p}`)).status, p).toBe(404);
  });

  it('wrong method on a known path: 405 with Allow', async () => {
    for (const m of ['POST', 'PUT', 'DELETE']) {
      const r = await fetchRaw(`${rig.base}/ipxe?mac=52:54:00:00:00:01`, { method: m });
      expect(r.status).toBe(405);
      expect(r.headers['allow']).toBe('GET, HEAD');
    }
    expect(rig.store.list('Server')).toHaveLength(0);
  });

  it('a GET with a body, a malformed escape or an oversized target: 400', async () => {
    expect((await fetchRaw(`${rig.base}/boot.ipxe`, { body: 'x', headers: { 'content-length': '1' } })).status).toBe(400);
    expect((await fetchRaw(`${rig.base}/env/%zz/vmlinuz`)).status).toBe(400);
    expect((await fetchRaw(`${rig.base}/tftp/..%2Fetc%2Fpasswd`)).status).toBe(400);
    expect((await fetchRaw(`${rig.base}/ipxe?mac=52:54:00:00:00:01&x=${'a'.repeat(5000)}`)).status).toBe(400);
    expect((await fetchRaw(`${rig.base}/ipxe?uuid=only`)).status).toBe(400);
  });

  it('oversized headers: 400, and the service keeps working', async () => {
    expect(await raw(`GET /boot.ipxe HTTP/1.1\r\nHost: x\r\nX-Pad: ${'a'.repeat(20_000)}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400/);
    expect((await fetchRaw(`${rig.base}/boot.ipxe`)).status).toBe(200);
  });

  it('garbage instead of HTTP gets a 400 and the service keeps working', async () => {
    expect(await raw('\x16\x03\x01 not http at all\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect((await fetchRaw(`${rig.base}/boot.ipxe`)).status).toBe(200);
  });

  it('splits and decodes paths, refusing dot segments and empty ones', () => {
    expect(pathParts('/env/my%20env/vmlinuz')).toEqual(['env', 'my env', 'vmlinuz']);
    expect(pathParts('/env/../x')).toBeUndefined();
    expect(pathParts('/env//x')).toBeUndefined();
    expect(pathParts('/a%2Fb')).toBeUndefined();
  });
});
