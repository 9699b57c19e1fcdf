/**
 * The TFTP service on loopback (a random high port) against curl, atftp and a raw client.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeAck, encodeError, encodeRequest, TFTP_OP } from '../../src/tftp/index.js';
import { sleep } from '../lab/sh.js';
import { missing, skipNote } from '../support/needs.js';
import { RawPeer, startTftp, type TftpFixture } from './support/server.js';
import { tftpGet } from './support/tftp-client.js';

const run = promisify(execFile);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let t: TftpFixture;
beforeAll(async () => {
  t = await startTftp();
});
afterAll(async () => {
  await t?.stop();
});

const noCurl = missing('bin:curl');
describe.skipIf(noCurl)(`curl tftp://${skipNote(noCurl)}`, () => {
  it.each([
    ['1468', 1468],
    ['8192 (capped by tftp.maxBlksize)', 1468],
    ['512', 512],
    ['8 (the RFC minimum)', 8],
  ])('downloads ipxe.efi with --tftp-blksize %s', async (asked, granted) => {
    const out = join(t.dir, `curl-${granted}-${Math.random()}`);
    const { stderr } = await run('curl', ['-sS', '-v', '--tftp-blksize', asked.split(' ')[0]!, '-o', out, `tftp://127.0.0.1:${t.port}/ipxe.efi`], { timeout: 60_000 });
    expect(stderr).toContain(`blksize parsed from OACK (${granted})`);
    expect(stderr).toContain('tsize parsed from OACK (850528)');
    expect(sha(await readFile(out))).toBe(sha(t.content.get('ipxe.efi')!));
  }, 90_000);

  it('fails cleanly for a name that is not served (error 1: curl exit code 68)', async () => {
    const r = await run('curl', ['-sS', '-o', '/dev/null', `tftp://127.0.0.1:${t.port}/etc/passwd`]).catch((e: { code: number }) => e);
    expect((r as { code: number }).code).toBe(68);
  });
});

const noAtftp = missing('bin:atftp');
describe.skipIf(noAtftp)(`atftp${skipNote(noAtftp)}`, () => {
  it('plain RFC 1350 (no options): 512-byte lockstep', async () => {
    const out = join(t.dir, 'atftp-plain');
    await run('atftp', ['-g', '-r', 'undionly.kpxe', '-l', out, '127.0.0.1', String(t.port)], { timeout: 60_000 });
    expect(sha(await readFile(out))).toBe(sha(t.content.get('undionly.kpxe')!));
  }, 90_000);

  it('with blksize and windowsize options', async () => {
    const out = join(t.dir, 'atftp-window');
    const { stdout, stderr } = await run('atftp', ['--trace', '--option', 'blksize 1428', '--option', 'windowsize 8', '-g', '-r', 'ipxe.efi', '-l', out, '127.0.0.1', String(t.port)], {
      timeout: 60_000,
      maxBuffer: 64 << 20,
    });
    expect(stdout + stderr).toMatch(/received OACK <[^>]*windowsize: 8/);
    expect(stdout + stderr).toMatch(/received OACK <[^>]*blksize: 1428/);
    expect(sha(await readFile(out))).toBe(sha(t.content.get('ipxe.efi')!));
  }, 90_000);

  it('a write request gets error 2: read-only', async () => {
    const r = await run('atftp', ['-p', '-l', '/etc/hostname', '-r', 'ipxe.efi', '127.0.0.1', String(t.port)]).catch((e: { stderr: string; stdout: string }) => e);
    expect((r as { stderr: string; stdout: string }).stderr + (r as { stdout: string }).stdout).toMatch(/read-only/);
    expect(sha(await readFile(t.files.get('ipxe.efi')!))).toBe(sha(t.content.get('ipxe.efi')!));
  });
});

describe('raw client: windowsize and option negotiation', () => {
  it.each([1, 4, 8, 64])('windowsize %i: right content, one ACK per window', async (w) => {
    const r = await tftpGet({ host: '127.0.0.1', port: t.port, file: 'ipxe.efi', blksize: 1468, windowsize: w, tsize: true });
    expect(r.error).toBeUndefined();
    expect(r.oack?.get('windowsize')).toBe(String(w));
    expect(r.oack?.get('tsize')).toBe('850528');
    expect(sha(r.data)).toBe(sha(t.content.get('ipxe.efi')!));
    const blocks = Math.floor(850_528 / 1468) + 1;
    expect(r.dataPackets).toBe(blocks);
    expect(r.acksSent).toBe(Math.ceil(blocks / w) + 1);
  });

  it('caps a window larger than the limit', async () => {
    const r = await tftpGet({ host: '127.0.0.1', port: t.port, file: 'undionly.kpxe', windowsize: 1000 });
    expect(r.oack?.get('windowsize')).toBe('64');
    expect(sha(r.data)).toBe(sha(t.content.get('undionly.kpxe')!));
  });

  it.each([
    ['empty.bin', 512, 1],
    ['exact.bin', 1468, 5],
  ])('%s ends with a short (possibly empty) block', async (file, blksize, packets) => {
    const r = await tftpGet({ host: '127.0.0.1', port: t.port, file, blksize, windowsize: 2 });
    expect(r.data).toEqual(t.content.get(file));
    expect(r.dataPackets).toBe(packets);
  });

  it('rolls block numbers over past 65535', async () => {
    const r = await tftpGet({ host: '127.0.0.1', port: t.port, file: 'ipxe.efi', blksize: 12, windowsize: 64, deadlineMs: 60_000 });
    expect(Math.floor(850_528 / 12) + 1).toBeGreaterThan(65_536);
    expect(sha(r.data)).toBe(sha(t.content.get('ipxe.efi')!));
  }, 90_000);

  it('serves netascii with CR LF line ends', async () => {
    const r = await tftpGet({ host: '127.0.0.1', port: t.port, file: 'motd.txt', mode: 'netascii' });
    expect(r.data.toString('latin1')).toBe('line one\r\nline two\r\0bare\r\n');
  });

  it('serves a name with a leading slash, and nothing outside the map', async () => {
    expect(sha((await tftpGet({ host: '127.0.0.1', port: t.port, file: '/undionly.kpxe' })).data)).toBe(sha(t.content.get('undionly.kpxe')!));
    for (const name of ['../ipxe.efi', 'ipxe.efi/../motd.txt', '/etc/passwd', join(t.dir, 'ipxe.efi'), 'IPXE.EFI']) {
      expect((await tftpGet({ host: '127.0.0.1', port: t.port, file: name })).error).toEqual({ code: 1, message: 'file not found' });
    }
  });

  it('refuses blksize 7 with error 8', async () => {
    const r = await tftpGet({ host: '127.0.0.1', port: t.port, file: 'ipxe.efi', blksize: 7 });
    expect(r.error?.code).toBe(8);
    expect(r.error?.message).toMatch(/blksize must be 8 to 65464/);
  });

  it('refuses the mail mode', async () => {
    const p = await RawPeer.open();
    p.send(encodeRequest('RRQ', 'ipxe.efi', 'mail'), t.port);
    await sleep(300);
    expect(p.ofKind('ERROR')[0]?.packet).toMatchObject({ code: 4, message: expect.stringMatching(/mode mail/) });
    p.close();
  });

  it('32 transfers at once', async () => {
    const runs = await Promise.all(Array.from({ length: 32 }, (_, i) => tftpGet({ host: '127.0.0.1', port: t.port, file: i % 2 ? 'ipxe.efi' : 'undionly.kpxe', blksize: 1468, windowsize: 8, deadlineMs: 60_000 })));
    runs.forEach((r, i) => expect(sha(r.data)).toBe(sha(t.content.get(i % 2 ? 'ipxe.efi' : 'undionly.kpxe')!)));
  }, 90_000);
});

describe('retransmission', () => {
  it('duplicate ACKs never cause duplicate bursts; a partial ACK resends from the gap', async () => {
    const p = await RawPeer.open();
    p.send(encodeRequest('RRQ', 'ipxe.efi', 'octet', new Map([['blksize', '1468'], ['windowsize', '4'], ['timeout', '5']])), t.port);
    await sleep(200);
    const tid = p.ofKind('OACK')[0]!.port;
    p.send(encodeAck(0), tid);
    await sleep(200);
    expect(p.ofKind('DATA').map((d) => (d.packet as { block: number }).block)).toEqual([1, 2, 3, 4]);
    for (let i = 0; i < 3; i++) p.send(encodeAck(4), tid);
    await sleep(300);
    expect(p.ofKind('DATA').map((d) => (d.packet as { block: number }).block)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    p.send(encodeAck(6), tid); // 7 was lost: the next window starts at 7
    await sleep(300);
    expect(p.ofKind('DATA').slice(8).map((d) => (d.packet as { block: number }).block)).toEqual([7, 8, 9, 10]);
    p.send(encodeError(0, 'enough'), tid);
    p.close();
  });

  it('resends on timeout, gives up after the retries, and tells the client', async () => {
    const slow = await startTftp((s) => (s.tftp.retries = 2));
    try {
      const p = await RawPeer.open();
      p.send(encodeRequest('RRQ', 'undionly.kpxe', 'octet', new Map([['timeout', '1']])), slow.port);
      await sleep(4000);
      const data = p.ofKind('DATA');
      expect(data.map((d) => (d.packet as { block: number }).block)).toEqual([]); // OACK first, never acknowledged
      expect(p.ofKind('OACK')).toHaveLength(3);
      expect(p.ofKind('ERROR')[0]?.packet).toMatchObject({ code: 0, message: 'timed out waiting for an ACK' });
      p.close();
      const q = await RawPeer.open();
      q.send(encodeRequest('RRQ', 'undionly.kpxe', 'octet', new Map([['timeout', '1']])), slow.port);
      await sleep(300);
      q.send(encodeAck(0), q.ofKind('OACK')[0]!.port);
      await sleep(3500);
      expect(q.ofKind('DATA').map((d) => (d.packet as { block: number }).block)).toEqual([1, 1, 1]);
      q.close();
      const errors = slow.events.filter((e) => e.event.type === 'tftp.transfer' && e.event.phase === 'error');
      expect(errors).toHaveLength(2);
      expect(slow.service.stats().transfers).toMatchObject({ failed: 2, active: 0 });
    } finally {
      await slow.stop();
    }
  }, 20_000);

  it('ignores a retransmitted read request while its transfer runs', async () => {
    const p = await RawPeer.open();
    const rrq = encodeRequest('RRQ', 'undionly.kpxe', 'octet', new Map([['blksize', '1468']]));
    p.send(rrq, t.port);
    p.send(rrq, t.port);
    await sleep(300);
    expect(p.ofKind('OACK')).toHaveLength(1);
    p.send(encodeError(0, 'enough'), p.ofKind('OACK')[0]!.port);
    p.close();
  });

  it('a stranger cannot disturb a transfer (its socket is connected to the client)', async () => {
    const p = await RawPeer.open();
    p.send(encodeRequest('RRQ', 'undionly.kpxe', 'octet', new Map([['windowsize', '2']])), t.port);
    await sleep(200);
    const tid = p.ofKind('OACK')[0]!.port;
    const stranger = await RawPeer.open();
    stranger.send(encodeAck(0), tid);
    stranger.send(encodeError(0, 'stop it'), tid);
    await sleep(200);
    expect(stranger.got).toEqual([]);
    expect(p.ofKind('DATA')).toHaveLength(0); // the stranger's ACK 0 did not start the data
    p.send(encodeAck(0), tid);
    await sleep(200);
    expect(p.ofKind('DATA')).toHaveLength(2);
    p.send(encodeError(0, 'enough'), tid);
    p.close();
    stranger.close();
  });
});

describe('events and statistics', () => {
  it('a transfer reports start, at most four progress events a second, and done', async () => {
    const before = t.events.length;
    const started = Date.now();
    // A slow client (3 ms per ACK, 273 blocks): the transfer lasts about a second on any machine, so the
    // 250 ms progress throttle has something to throttle.
    await tftpGet({ host: '127.0.0.1', port: t.port, file: 'progress.bin', blksize: 1468, windowsize: 1, ackDelayMs: 3, deadlineMs: 60_000 });
    const seconds = (Date.now() - started) / 1000;
    await sleep(100); // the server is done when the last ACK arrives, just after the client
    const mine = t.events.slice(before).map((r) => r.event).filter((e) => e.type === 'tftp.transfer' && e.file === 'progress.bin');
    expect(mine[0]).toMatchObject({ phase: 'start', peer: '127.0.0.1', total: 400_000 });
    expect(mine.at(-1)).toMatchObject({ phase: 'done', bytes: 400_000 });
    const progress = mine.filter((e) => e.type === 'tftp.transfer' && e.phase === 'progress');
    expect(seconds).toBeGreaterThan(0.8);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(seconds * 4) + 1);
  }, 60_000);

  it('an option query the client drops after the OACK (EDK2 asks for tsize first) raises no event', async () => {
    const before = t.events.length;
    const queries = t.service.stats().sizeQueries;
    const r = await tftpGet({ host: '127.0.0.1', port: t.port, file: 'ipxe.efi', tsize: true, abortAfterOack: true });
    expect(r.oack?.get('tsize')).toBe('850528');
    await sleep(200);
    expect(t.events.slice(before).filter((e) => e.event.type === 'tftp.transfer')).toEqual([]);
    expect(t.service.stats().sizeQueries).toBe(queries + 1);
  });

  it('stop() aborts running transfers and tells their clients', async () => {
    const s = await startTftp();
    const p = await RawPeer.open();
    p.send(encodeRequest('RRQ', 'ipxe.efi', 'octet', new Map([['timeout', '10']])), s.port);
    await sleep(200);
    await s.stop();
    await sleep(100);
    expect(p.ofKind('ERROR')[0]?.packet).toMatchObject({ message: 'server shutting down' });
    p.close();
  });

  it('counts requests by kind', () => {
    const st = t.service.stats();
    expect(st.requests.RRQ).toBeGreaterThan(10);
    expect(st.transfers.completed).toBeGreaterThan(10);
    expect(st.bytesSent).toBeGreaterThan(850_528);
    expect(TFTP_OP.RRQ).toBe(1);
  });
});
