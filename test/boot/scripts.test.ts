import { describe, expect, it } from 'vitest';
import {
  bootScript,
  checkToken,
  configDataUrl,
  diskScript,
  formatTokenRecord,
  installScript,
  kernelArgs,
  loadTemplates,
  mintToken,
  parkScript,
  parseTokenRecord,
  scriptText,
  sha256Hex,
} from '../../src/boot/index.js';
import { isMetalboxError } from '../../src/util/errors.js';

const t = loadTemplates();
const urls = { base: 'http://10.77.0.1:8081' };

describe('iPXE scripts from assets/ipxe', () => {
  it('boot.ipxe loops over the NICs, chains /ipxe with the facts, and reboots after bounded rounds', () => {
    const s = bootScript(t, urls, 10);
    expect(s.startsWith('#!ipxe\n')).toBe(true);
    expect(s).not.toMatch(/\{\{/);
    expect(s).toContain('chain --replace http://10.77.0.1:8081/ipxe?uuid=${uuid}&mac=${net${mbx-i}/mac:hexhyp}');
    expect(s).toContain('&arch=${buildarch}&platform=${platform}');
    expect(s).toContain('&cpu-cores=${smbios/4.35.1:hex}&cpu-threads=${smbios/4.37.1:hex}');
    expect(s).toContain('iseq ${mbx-round} 10 || goto round');
    expect(s).toMatch(/\nreboot\n$/);
  });

  it('boot.ipxe does not depend on iflinkwait (missing in old NIC ROMs): its failure falls through to dhcp', () => {
    const line = bootScript(t, urls, 3).split('\n').find((l) => l.startsWith('iflinkwait'))!;
    expect(line).toMatch(/\|\| echo /);
    expect(line).not.toMatch(/goto/);
  });

  it('park waits and asks again with the same facts instead of rebooting', () => {
    const s = parkScript(t, urls, { server: 'u1', reason: 'cordoned', seconds: 30, facts: 'uuid=u1&mac=52-54-00-12-34-56' });
    expect(s).toContain('sleep 30\n');
    expect(s).toContain('chain --replace http://10.77.0.1:8081/ipxe?uuid=u1&mac=52-54-00-12-34-56');
    expect(s.split('\n').filter((l) => /^reboot/.test(l))).toEqual([]);
  });

  it('install boots the environment\'s kernel and initrd with the args', () => {
    const s = installScript(t, urls, { server: 'u1', action: 'install', environment: 'default', args: ['console=ttyS0', 'talos.platform=metal'], hasInitrd: true });
    expect(s).toContain('kernel http://10.77.0.1:8081/env/default/vmlinuz console=ttyS0 talos.platform=metal || goto failed\n');
    expect(s).toContain('initrd http://10.77.0.1:8081/env/default/initramfs.xz || goto failed\n');
    expect(s).toContain('boot || goto failed\n');
  });

  it('boot from disk: exit or sanboot', () => {
    expect(diskScript(t, 'ipxe-exit', { server: 'u1', reason: 'installed' })).toMatch(/\nexit\n$/);
    expect(diskScript(t, 'ipxe-sanboot', { server: 'u1', reason: 'installed' })).toContain('sanboot --no-describe --drive 0x80');
  });

  it('text from outside cannot become iPXE commands', () => {
    expect(scriptText('a\nshell ${net0/ip} #x || y ; z')).toBe('a shell $ {net0/ip}  #x , y , z');
    const s = parkScript(t, urls, { server: 'u1', reason: 'bad\nshell', seconds: 5, facts: '' });
    expect(s.split('\n')).not.toContain('shell');
  });
});

describe('kernel args', () => {
  const url = configDataUrl('http://10.77.0.1:8081', 'u1', 'TOKEN');

  it('adds what Talos needs, each only when the Environment does not set it', () => {
    expect(kernelArgs({ environmentArgs: ['console=ttyS0'], configUrl: url, eventsSink: '10.77.0.1:4002', kernelLog: 'tcp://10.77.0.1:4001' })).toEqual([
      'console=ttyS0',
      'talos.platform=metal',
      'initrd=initramfs.xz',
      'talos.config=http://10.77.0.1:8081/configdata?uuid=u1&t=TOKEN',
      'talos.events.sink=10.77.0.1:4002',
      'talos.logging.kernel=tcp://10.77.0.1:4001',
    ]);
    expect(kernelArgs({ environmentArgs: ['initrd=initramfs-amd64.xz', 'talos.platform=metal', 'talos.events.sink=[fd00::1]:4002'] })).toEqual([
      'initrd=initramfs-amd64.xz',
      'talos.platform=metal',
      'talos.events.sink=[fd00::1]:4002',
    ]);
  });

  it('a wipe adds talos.experimental.wipe=system (Talos resets its disk and reboots) and no config URL', () => {
    const args = kernelArgs({ environmentArgs: ['console=ttyS0'], wipe: true, eventsSink: '10.77.0.1:4002' });
    expect(args).toContain('talos.experimental.wipe=system');
    expect(args.some((a) => a.startsWith('talos.config='))).toBe(false);
    expect(kernelArgs({ environmentArgs: [], configUrl: url })).not.toContain('talos.experimental.wipe=system');
  });

  it('refuses an install environment that sets talos.experimental.wipe: Talos would never install', () => {
    expect(() => kernelArgs({ environmentArgs: ['talos.experimental.wipe=system'], configUrl: url })).toThrow(/wipe its disk and reboot at every boot/);
    expect(kernelArgs({ environmentArgs: ['talos.experimental.wipe=system:EPHEMERAL'], wipe: true })).toContain('talos.experimental.wipe=system:EPHEMERAL');
  });

  it.each([['console=tty0\nshell'], ['a b'], ['x=${net0/ip}'], ['#comment'], ['||'], ['']])('refuses %j', (arg) => {
    let err: unknown;
    try {
      kernelArgs({ environmentArgs: ['console=tty0', arg] });
    } catch (e) {
      err = e;
    }
    expect(isMetalboxError(err, 'KERNEL_ARG_INVALID')).toBe(true);
  });
});

describe('boot tokens', () => {
  const now = new Date('2024-05-01T12:00:00Z');
  const { token, record } = mintToken('10.77.0.100', 3600, now);
  const base = { record, presented: token, peer: '10.77.0.100', serverMacs: ['52:54:00:12:34:56'], installed: false, now };

  it('are 256 random bits, stored only as a hash', () => {
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(mintToken('10.77.0.100', 60).token).not.toBe(token);
    const stored = formatTokenRecord(record);
    expect(stored).not.toContain(token);
    expect(stored).toBe(`sha256=${sha256Hex(token)};expires=2024-05-01T13:00:00.000Z;peer=10.77.0.100`);
    expect(parseTokenRecord(stored)).toEqual(record);
    expect(parseTokenRecord('sha256=zz;expires=x;peer=y')).toBeUndefined();
  });

  it('accept the right token from the right address and MAC', () => {
    expect(checkToken(base)).toEqual({ ok: true });
    expect(checkToken({ ...base, peerMac: '52:54:00:12:34:56' })).toEqual({ ok: true });
  });

  it.each([
    ['no token', { presented: '' }, 'no token presented'],
    ['none issued', { record: undefined }, 'no boot token was issued'],
    ['wrong token', { presented: `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}` }, 'does not match'],
    ['expired', { now: new Date('2024-05-01T13:00:01Z') }, 'expired'],
    ['installed', { installed: true }, 'already installed'],
    ['another address', { peer: '10.77.0.200' }, 'issued to 10.77.0.100'],
    ['another MAC', { peerMac: 'aa:bb:cc:dd:ee:ff' }, 'not one of the server\'s'],
  ])('refuse: %s', (_n, change, reason) => {
    const v = checkToken({ ...base, ...change });
    expect(v.ok).toBe(false);
    expect(!v.ok && v.reason).toContain(reason);
    expect(!v.ok && v.reason).not.toContain(token);
  });
});
