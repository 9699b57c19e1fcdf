import { describe, expect, it } from 'vitest';
import {
  bootFlagBytes,
  chassisControl,
  classifyIpmitoolOutput,
  parseRawBytes,
  powerFromChassisStatus,
  setBootFlags,
} from '../../src/power/ipmi/codec.js';

describe('IPMI chassis commands', () => {
  it('builds the boot flags Sidero sends (valid, persistent, EFI; PXE or disk)', () => {
    const table: [Parameters<typeof bootFlagBytes>, number[]][] = [
      [['pxe', {}], [0x80, 0x04, 0, 0, 0]],
      [['pxe', { uefi: true }], [0xa0, 0x04, 0, 0, 0]],
      [['pxe', { uefi: true, persistent: true }], [0xe0, 0x04, 0, 0, 0]],
      [['disk', { persistent: true }], [0xc0, 0x08, 0, 0, 0]],
      [['disk', { uefi: false }], [0x80, 0x08, 0, 0, 0]],
    ];
    for (const [args, bytes] of table) expect(bootFlagBytes(...args)).toEqual(bytes);
    expect(setBootFlags('pxe', { uefi: true })).toEqual(['raw', '0x00', '0x08', '0x05', '0xa0', '0x04', '0x00', '0x00', '0x00']);
    expect(chassisControl('cycle')).toEqual(['raw', '0x00', '0x02', '0x02']);
    expect(chassisControl('soft')).toEqual(['raw', '0x00', '0x02', '0x05']);
  });

  it('reads the power bit of Chassis Status and refuses garbage', () => {
    expect(powerFromChassisStatus(parseRawBytes(' 01 00 00\n'))).toBe('on');
    expect(powerFromChassisStatus(parseRawBytes(' 60 10 00 70\n'))).toBe('off');
    expect(() => parseRawBytes('Chassis Power is on')).toThrow(/unexpected output/);
    expect(() => powerFromChassisStatus([])).toThrow();
  });

  it('classifies what ipmitool 1.8 prints on failure (captured against ipmi_sim)', () => {
    const cases: [string, string][] = [
      ['Loading IANA PEN Registry...\n> RAKP 2 HMAC is invalid\nError: Unable to establish IPMI v2 / RMCP+ session\n', 'auth'],
      ['RAKP 2 message indicates an error : unauthorized name\nError: Unable to establish IPMI v2 / RMCP+ session\n', 'auth'],
      ['Error in open session response message : invalid authentication algorithm\n\nError: Unable to establish IPMI v2 / RMCP+ session\n', 'cipher'],
      ['Get Auth Capabilities error\nError issuing Get Channel Authentication Capabilities request\nError: Unable to establish IPMI v2 / RMCP+ session\n', 'unreachable'],
      ['Unable to send RAW command (channel=0x0 netfn=0x0 lun=0x0 cmd=0x55 rsp=0xc1): Invalid command\n', 'unsupported'],
      ['Unable to send RAW command (channel=0x0 netfn=0x0 lun=0x0 cmd=0x2 rsp=0xd4): Insufficient privilege level\n', 'privilege'],
      ['Unable to send RAW command (channel=0x0 netfn=0x0 lun=0x0 cmd=0x2 rsp=0xc0): Node busy\n', 'busy'],
      ['Unable to send RAW command (channel=0x0 netfn=0x0 lun=0x0 cmd=0x2 rsp=0xff): Unspecified error\n', 'bmc'],
      ['Error in open session response message : insufficient resources for session\n', 'busy'],
    ];
    for (const [out, kind] of cases) expect(classifyIpmitoolOutput(out).kind, out).toBe(kind);
    expect(classifyIpmitoolOutput(cases[0]![0]).detail).toBe('RAKP 2 HMAC is invalid');
    expect(classifyIpmitoolOutput(cases[4]![0]).detail).toBe('completion code 0xc1 (invalid command)');
  });
});
