import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRange } from '../../src/http/index.js';
import { missing, skipNote } from '../support/needs.js';
import { fetchRaw, importFakeAssets, startRig, type Rig } from './helpers.js';

let rig: Rig;
let kernel: Buffer;
let initrd: Buffer;
const ipxeFile = Buffer.from('pretend iPXE EFI binary '.repeat(1000));

beforeAll(async () => {
  const dir = await import('node:fs/promises').then((fs) => fs.mkdtemp('/tmp/mbx-http-ipxe-'));
  await writeFile(join(dir, 'ipxe.efi'), ipxeFile);
  rig = await startRig({ service: { ipxeFiles: new Map([['ipxe.efi', join(dir, 'ipxe.efi')]]) } });
  ({ kernel, initrd } = await importFakeAssets(rig));
});
afterAll(() => rig?.close());

describe('/env/<environment>/<file>', () => {
  it('serves the cached kernel and initrd with Content-Length and an ETag', async () => {
    const k = await fetchRaw(`${rig.base}/env/default/vmlinuz`);
    expect(k.status).toBe(200);
    expect(k.body.equals(kernel)).toBe(true);
    expect(Number(k.headers['content-length'])).toBe(kernel.length);
    expect(k.headers['accept-ranges']).toBe('bytes');
    expect(k.headers['etag']).toMatch(/^"[0-9a-f]{64}"$/);
    const i = await fetchRaw(`${rig.base}/env/default/initramfs.xz`);
    expect(i.body.equals(initrd)).toBe(true);
  });

  it('HEAD: the headers, no body', async () => {
    const h = await fetchRaw(`${rig.base}/env/default/initramfs.xz`, { method: 'HEAD' });
    expect(h.status).toBe(200);
    expect(Number(h.headers['content-length'])).toBe(initrd.length);
    expect(h.body.length).toBe(0);
  });

  it('Range: a slice, a suffix, an open end; 416 past the end', async () => {
    const part = await fetchRaw(`${rig.base}/env/default/vmlinuz`, { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-199/${kernel.length}`);
    expect(part.body.equals(kernel.subarray(100, 200))).toBe(true);
    const tail = await fetchRaw(`${rig.base}/env/default/vmlinuz`, { headers: { range: 'bytes=-10' } });
    expect(tail.body.equals(kernel.subarray(kernel.length - 10))).toBe(true);
    const open = await fetchRaw(`${rig.base}/env/default/vmlinuz`, { headers: { range: `bytes=${kernel.length - 5}-` } });
    expect(open.body.equals(kernel.subarray(kernel.length - 5))).toBe(true);
    const past = await fetchRaw(`${rig.base}/env/default/vmlinuz`, { headers: { range: `bytes=${kernel.length}-` } });
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${kernel.length}`);
  });

  it('If-None-Match gives 304; If-Range with another ETag gives the whole file', async () => {
    const { headers } = await fetchRaw(`${rig.base}/env/default/vmlinuz`, { method: 'HEAD' });
    const etag = String(headers['etag']);
    expect((await fetchRaw(`${rig.base}/env/default/vmlinuz`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    const whole = await fetchRaw(`${rig.base}/env/default/vmlinuz`, { headers: { range: 'bytes=0-9', 'if-range': '"other"' } });
    expect(whole.status).toBe(200);
    expect(whole.body.length).toBe(kernel.length);
    const slice = await fetchRaw(`${rig.base}/env/default/vmlinuz`, { headers: { range: 'bytes=0-9', 'if-range': etag } });
    expect(slice.status).toBe(206);
  });

  it('an Environment that is not cached, an unknown one, or another file name: 404', async () => {
    for (const p of ['/env/default-arm64/vmlinuz', '/env/nope/vmlinuz', '/env/default/config', '/env/default/vmlinuz-amd64']) {
      expect((await fetchRaw(`${rig.base}${p}`)).status, p).toBe(404);
    }
  });

  it('reports each download on the boot timeline with the peer and the bytes', async () => {
    await fetchRaw(`${rig.base}/env/default/initramfs.xz`);
    expect(rig.eventsOf('boot.asset').at(-1)).toMatchObject({ environment: 'default', file: 'initramfs.xz', peer: '127.0.0.1', bytes: initrd.length });
  });

  it('a client that goes away mid-download: the timeline has what it got, and the service keeps serving', async () => {
    const own = await startRig();
    try {
      const big = (await importFakeAssets(own, 'default', { kernel: 1000, initrd: 32_000_000 })).initrd;
      await new Promise<void>((resolve, reject) => {
        const s = connect(own.http.port(), '127.0.0.1', () => s.write('GET /env/default/initramfs.xz HTTP/1.1\r\nHost: x\r\n\r\n'));
        s.once('data', () => s.destroy());
        s.on('close', () => resolve());
        s.on('error', reject);
      });
      await expect.poll(() => own.eventsOf('boot.asset').length, { timeout: 5000 }).toBe(1);
      expect(own.eventsOf('boot.asset')[0]!['bytes']).toBeLessThan(big.length);
      expect((await fetchRaw(`${own.base}/env/default/initramfs.xz`)).body.equals(big)).toBe(true);
      expect(own.eventsOf('boot.asset')[1]).toMatchObject({ bytes: big.length });
    } finally {
      await own.close();
    }
  });

  it('parses byte ranges as RFC 9110 says', () => {
    expect(parseRange('bytes=0-0', 10)).toEqual({ kind: 'partial', start: 0, end: 0 });
    expect(parseRange('bytes=5-100', 10)).toEqual({ kind: 'partial', start: 5, end: 9 });
    expect(parseRange('bytes=-100', 10)).toEqual({ kind: 'partial', start: 0, end: 9 });
    expect(parseRange('bytes=0-1,5-6', 10)).toEqual({ kind: 'full' });
    expect(parseRange('items=0-1', 10)).toEqual({ kind: 'full' });
    expect(parseRange('bytes=7-3', 10)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-0', 10)).toEqual({ kind: 'unsatisfiable' });
  });
});

describe('/tftp/<file>', () => {
  it('serves the iPXE binaries by name only', async () => {
    const r = await fetchRaw(`${rig.base}/tftp/ipxe.efi`);
    expect(r.status).toBe(200);
    expect(r.body.equals(ipxeFile)).toBe(true);
    expect((await fetchRaw(`${rig.base}/tftp/snponly.efi`)).status).toBe(404);
    expect((await fetchRaw(`${rig.base}/tftp/%2e%2e`)).status).toBe(400);
  });
});

const why = missing('bin:curl');
describe.skipIf(why)(`curl as the client${skipNote(why)}`, () => {
  it('resumes an interrupted download (curl -C -) and ends with the same bytes', async () => {
    const out = join(rig.dir, 'partial-kernel');
    await writeFile(out, kernel.subarray(0, 12345));
    await promisify(execFile)('curl', ['-sS', '-f', '-C', '-', '-o', out, `${rig.base}/env/default/vmlinuz`]);
    expect((await readFile(out)).equals(kernel)).toBe(true);
  });
});
