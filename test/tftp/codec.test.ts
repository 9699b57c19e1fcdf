import { describe, expect, it } from 'vitest';
import {
  BLKSIZE_MAX,
  decodeTftp,
  encodeAck,
  encodeData,
  encodeError,
  encodeOack,
  encodeRequest,
  negotiate,
  toNetascii,
  type TransferLimits,
} from '../../src/tftp/index.js';

/** The read request OVMF sent in the QEMU lab, byte for byte. */
const OVMF_RRQ = Buffer.from('\x00\x01ipxe.efi\x00octet\x00tsize\x000\x00blksize\x001468\x00windowsize\x004\x00', 'latin1');
/** curl's read request with --tftp-blksize 1024. */
const CURL_RRQ = Buffer.from('\x00\x01ipxe.efi\x00octet\x00tsize\x000\x00blksize\x001024\x00timeout\x006\x00', 'latin1');

describe('TFTP codec', () => {
  it('decodes the OVMF read request with its options', () => {
    const r = decodeTftp(OVMF_RRQ);
    expect(r).toEqual({ ok: true, packet: { op: 'RRQ', file: 'ipxe.efi', mode: 'octet', options: new Map([['tsize', '0'], ['blksize', '1468'], ['windowsize', '4']]) } });
  });

  it('lowercases mode and option names (RFC 2347: case-insensitive), keeping the first of a repeat', () => {
    const r = decodeTftp(Buffer.from('\x00\x01a\x00OCTET\x00BlkSize\x00999\x00blksize\x00512\x00', 'latin1'));
    expect(r.ok && r.packet.op === 'RRQ' && [r.packet.mode, [...r.packet.options]]).toEqual(['octet', [['blksize', '999']]]);
  });

  it('round-trips every packet kind', () => {
    const opts = new Map([['blksize', '1468']]);
    expect(decodeTftp(encodeRequest('WRQ', 'x', 'octet', opts))).toEqual({ ok: true, packet: { op: 'WRQ', file: 'x', mode: 'octet', options: opts } });
    expect(decodeTftp(encodeData(65535, Buffer.from('abc')))).toEqual({ ok: true, packet: { op: 'DATA', block: 65535, data: Buffer.from('abc') } });
    expect(decodeTftp(encodeAck(0))).toEqual({ ok: true, packet: { op: 'ACK', block: 0 } });
    expect(decodeTftp(encodeError(1, 'file not found'))).toEqual({ ok: true, packet: { op: 'ERROR', code: 1, message: 'file not found' } });
    expect(decodeTftp(encodeOack(opts))).toEqual({ ok: true, packet: { op: 'OACK', options: opts } });
    expect(encodeData(65536 + 7, Buffer.alloc(0)).readUInt16BE(2)).toBe(7); // block numbers roll over
  });

  it.each([
    ['empty', Buffer.alloc(0), /shorter than an opcode/],
    ['unknown opcode', Buffer.from([0, 9, 0, 0]), /unknown opcode 9/],
    ['RRQ without NUL', Buffer.from('\x00\x01ipxe.efi', 'latin1'), /NUL-terminated/],
    ['RRQ without mode', Buffer.from('\x00\x01ipxe.efi\x00', 'latin1'), /NUL-terminated/],
    ['RRQ with empty name', Buffer.from('\x00\x01\x00octet\x00', 'latin1'), /empty file name/],
    ['short ACK', Buffer.from([0, 4, 1]), /ACK without a block/],
    ['short DATA', Buffer.from([0, 3]), /DATA without a block/],
    ['odd OACK', Buffer.from('\x00\x06blksize\x00', 'latin1'), /malformed OACK/],
  ])('refuses %s with a reason', (_n, buf, reason) => {
    const r = decodeTftp(buf);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('reads curl\'s request', () => {
    const r = decodeTftp(CURL_RRQ);
    expect(r.ok && r.packet.op === 'RRQ' && Object.fromEntries(r.packet.options)).toEqual({ tsize: '0', blksize: '1024', timeout: '6' });
  });
});

describe('option negotiation', () => {
  const limits: TransferLimits = { maxBlksize: 1468, maxWindowsize: 64, defaultTimeoutMs: 2000 };
  const n = (o: Record<string, string>, size = 850_528) => negotiate(new Map(Object.entries(o)), limits, size);

  it('grants what OVMF asks for and reports the size', () => {
    expect(n({ tsize: '0', blksize: '1468', windowsize: '4' })).toEqual({
      ok: true, blksize: 1468, windowsize: 4, timeoutMs: 2000, oack: new Map([['tsize', '850528'], ['blksize', '1468'], ['windowsize', '4']]),
    });
  });

  it('caps blksize at the setting and windowsize at the limit', () => {
    expect(n({ blksize: '65464', windowsize: '1000' })).toMatchObject({ blksize: 1468, windowsize: 64 });
    expect(negotiate(new Map([['blksize', '65464']]), { ...limits, maxBlksize: 65464 }, 1)).toMatchObject({ blksize: BLKSIZE_MAX });
    expect(n({ blksize: '99999999' })).toMatchObject({ ok: true, blksize: 1468 });
  });

  it('accepts a timeout of 1 to 255 s and leaves others out of the OACK', () => {
    expect(n({ timeout: '6' })).toMatchObject({ timeoutMs: 6000, oack: new Map([['timeout', '6']]) });
    expect(n({ timeout: '0' })).toMatchObject({ timeoutMs: 2000, oack: undefined });
    expect(n({ timeout: '300' })).toMatchObject({ oack: undefined });
  });

  it('plain RFC 1350 without options: 512-byte blocks, no OACK; unknown options ignored', () => {
    expect(n({})).toEqual({ ok: true, blksize: 512, windowsize: 1, timeoutMs: 2000, oack: undefined });
    expect(n({ multicast: '' })).toMatchObject({ oack: undefined });
  });

  it.each([
    [{ blksize: '7' }, /blksize must be 8 to 65464, not 7/],
    [{ blksize: 'big' }, /blksize/],
    [{ windowsize: '0' }, /windowsize must be 1 to 65535/],
    [{ tsize: 'x' }, /tsize/],
  ])('refuses %o', (o, msg) => {
    const r = n(o);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(msg);
  });

  it('converts to netascii: LF to CR LF, bare CR to CR NUL', () => {
    expect(toNetascii(Buffer.from('a\nb\rc'))).toEqual(Buffer.from('a\r\nb\r\0c', 'latin1'));
    const plain = Buffer.from('no line ends');
    expect(toNetascii(plain)).toBe(plain);
  });
});
