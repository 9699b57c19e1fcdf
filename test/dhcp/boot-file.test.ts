import { describe, expect, it } from 'vitest';
import { chooseBootFile, type BootFileQuery } from '../../src/dhcp/index.js';

const ALL = new Set(['undionly.kpxe', 'ipxe.efi', 'snponly.efi', 'ipxe-arm64.efi', 'snponly-arm64.efi']);
const X86_ONLY = new Set(['undionly.kpxe', 'ipxe.efi', 'snponly.efi']);
const SCRIPT = 'http://10.77.0.1:8081/boot.ipxe';

function q(over: Partial<BootFileQuery>): BootFileQuery {
  return { arch: undefined, userClasses: [], vendorClass: undefined, address: '10.77.0.1', httpPort: 8081, available: ALL, ...over };
}

type Row = [string, Partial<BootFileQuery>, { file: string; vendorClass?: string; bios?: boolean } | { reason: RegExp }];

const TABLE: Row[] = [
  ['BIOS PXE ROM', { arch: 0, vendorClass: 'PXEClient:Arch:00000:UNDI:002001' }, { file: 'undionly.kpxe', vendorClass: 'PXEClient', bios: true }],
  ['UEFI x86-64 (7)', { arch: 7, vendorClass: 'PXEClient:Arch:00007:UNDI:003000' }, { file: 'ipxe.efi', vendorClass: 'PXEClient', bios: false }],
  ['UEFI x86-64 (9)', { arch: 9, vendorClass: 'PXEClient:Arch:00009:UNDI:003000' }, { file: 'ipxe.efi' }],
  ['UEFI x86-64, server prefers snponly', { arch: 7, preference: 'snponly' }, { file: 'snponly.efi' }],
  ['UEFI x86-64, class prefers the full build', { arch: 9, preference: 'ipxe' }, { file: 'ipxe.efi' }],
  ['UEFI arm64 (11)', { arch: 11 }, { file: 'ipxe-arm64.efi' }],
  ['UEFI arm64, snponly', { arch: 11, preference: 'snponly' }, { file: 'snponly-arm64.efi' }],
  ['UEFI HTTP boot x86-64 (16)', { arch: 16, vendorClass: 'HTTPClient:Arch:00016:UNDI:003000' }, { file: 'http://10.77.0.1:8081/tftp/ipxe.efi', vendorClass: 'HTTPClient' }],
  ['UEFI HTTP boot arm64 (19)', { arch: 19, vendorClass: 'HTTPClient:Arch:00019' }, { file: 'http://10.77.0.1:8081/tftp/ipxe-arm64.efi', vendorClass: 'HTTPClient' }],
  ['HTTPClient vendor class with arch 7', { arch: 7, vendorClass: 'HTTPClient' }, { file: 'http://10.77.0.1:8081/tftp/ipxe.efi', vendorClass: 'HTTPClient' }],
  ['iPXE on BIOS: the script, breaking the loop', { arch: 0, userClasses: ['iPXE'] }, { file: SCRIPT, bios: true }],
  ['iPXE on UEFI x86-64', { arch: 7, userClasses: ['iPXE'] }, { file: SCRIPT, bios: false }],
  ['iPXE on an architecture we do not chainload', { arch: 6, userClasses: ['iPXE'] }, { file: SCRIPT }],
  ['iPXE among other user classes', { arch: 7, userClasses: ['lab', 'iPXE'] }, { file: SCRIPT }],
  ['no option 93', { vendorClass: 'PXEClient' }, { reason: /no client architecture/ }],
  ['EFI IA32 (6)', { arch: 6 }, { reason: /unsupported architecture 6 \(x86 UEFI \(32-bit\)\)/ }],
  ['ARM 32-bit UEFI (10)', { arch: 10 }, { reason: /unsupported architecture 10/ }],
  ['RISC-V 64 (27)', { arch: 27 }, { reason: /RISC-V 64-bit UEFI/ }],
  ['unassigned architecture', { arch: 4242 }, { reason: /architecture 4242/ }],
  ['arm64 when no arm64 build was found', { arch: 11, available: X86_ONLY }, { reason: /ipxe-arm64\.efi .* was not found/ }],
  ['snponly wanted but not found', { arch: 7, preference: 'snponly', available: new Set(['ipxe.efi']) }, { reason: /snponly\.efi/ }],
];

describe('boot file choice', () => {
  it.each(TABLE)('%s', (_name, over, want) => {
    const c = chooseBootFile(q(over));
    if ('reason' in want) {
      expect(c.answer).toBe(false);
      if (!c.answer) expect(c.reason).toMatch(want.reason);
      return;
    }
    expect(c.answer).toBe(true);
    if (!c.answer) return;
    expect(c.bootFile).toBe(want.file);
    expect(c.via).toBe(want.file.startsWith('http') ? 'http' : 'tftp');
    if (want.vendorClass) expect(c.vendorClass).toBe(want.vendorClass);
    if (want.bios !== undefined) expect(c.biosPxe).toBe(want.bios);
  });

  it('uses the advertised address and HTTP port in URLs', () => {
    const c = chooseBootFile(q({ arch: 0, userClasses: ['iPXE'], address: '192.168.1.5', httpPort: 9000 }));
    expect(c.answer && c.bootFile).toBe('http://192.168.1.5:9000/boot.ipxe');
  });
});
