import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeAck, encodeData, encodeError, encodeOack, encodeRequest } from '../../src/tftp/index.js';
import { blast, fuzzPackets, seededRandom } from '../dhcp/support/fuzz.js';
import { missing, skipNote } from '../support/needs.js';
import { startTftp, type TftpFixture } from './support/server.js';
import { tftpGet } from './support/tftp-client.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let t: TftpFixture;
beforeAll(async () => {
  t = await startTftp((s) => (s.tftp.retries = 1));
});
afterAll(async () => {
  await t?.stop();
});

const SEEDS = [
  encodeRequest('RRQ', 'ipxe.efi', 'octet', new Map([['tsize', '0'], ['blksize', '1468'], ['windowsize', '4']])),
  encodeRequest('RRQ', 'undionly.kpxe', 'netascii'),
  encodeRequest('RRQ', 'nothere.efi', 'octet', new Map([['timeout', '1']])),
  encodeRequest('WRQ', 'ipxe.efi', 'octet'),
  encodeAck(7),
  encodeData(3, Buffer.alloc(512, 1)),
  encodeError(0, 'go away'),
  encodeOack(new Map([['blksize', '512']])),
];

describe('10,000 random and mutated packets (seed 0x7f7f)', () => {
  it('are counted, never crash the server, and a valid client is served afterwards', async () => {
    const packets = fuzzPackets(SEEDS, 10_000, seededRandom(0x7f7f));
    await blast(packets, { address: '127.0.0.1', port: t.port }, () => t.service.stats().received);
    const st = t.service.stats();
    expect(st.received).toBe(10_000);
    expect(st.dropped).toBeGreaterThan(3000);
    expect(st.requests.RRQ).toBeGreaterThan(100); // mutations that still parse reach the request path
    const r = await tftpGet({ host: '127.0.0.1', port: t.port, file: 'ipxe.efi', blksize: 1468, windowsize: 8 });
    expect(sha(r.data)).toBe(sha(t.content.get('ipxe.efi')!));
  }, 120_000);
});

const asNobody = missing('root', 'bin:setpriv');
describe.skipIf(asNobody)(`privileged port${skipNote(asNobody)}`, () => {
  it('binding 69 without privilege says how to fix it', () => {
    const out = execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--import', 'tsx', 'test/dhcp/support/bind-probe.ts', '{"service":"tftp","port":69}'], {
      env: { ...process.env, HOME: '/tmp' },
    }).toString();
    const r = JSON.parse(out.trim().split('\n').at(-1)!) as { code: string; message: string; hint: string };
    expect(r).toMatchObject({ code: 'BIND_PERMISSION', message: 'TFTP: no permission to bind port 69' });
    expect(r.hint).toMatch(/run metalbox as root, or grant the capability once/);
  });
});
