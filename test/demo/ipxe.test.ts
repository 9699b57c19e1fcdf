import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBootFacts } from '../../src/boot/index.js';
import { expand, IpxeInterpreter, ipxeSettings, simulatedHardware, splitChain, uristring, type IpxeHost } from '../../src/demo/index.js';

function host(settings: Map<string, string>, pages: Record<string, string> = {}): IpxeHost & { fetched: string[]; lines: string[]; slept: number[] } {
  const fetched: string[] = [];
  const lines: string[] = [];
  const slept: number[] = [];
  return {
    settings,
    fetched,
    lines,
    slept,
    dhcp: async () => true,
    fetch: async (url) => {
      fetched.push(url);
      const key = Object.keys(pages).find((k) => url.startsWith(k));
      return key ? { ok: true, body: Buffer.from(pages[key]!) } : { ok: false, status: 404 };
    },
    sleep: async (s) => void slept.push(s),
    log: (l) => void lines.push(l),
    aborted: () => false,
  };
}

describe("the demo's iPXE", () => {
  it('expands nested settings with their types', () => {
    const s = new Map([['i', '0'], ['net0/mac', '52:54:00:ab:cd:ef'], ['product', 'Pro Liant/Gen10'], ['x', '']]);
    expect(expand('${net${i}/mac:hexhyp}', s)).toBe('52-54-00-ab-cd-ef');
    expect(expand('p=${product:uristring}', s)).toBe('p=Pro%20Liant%2FGen10');
    expect(expand('[${x}${missing}]', s)).toBe('[]');
    expect(uristring('ä~')).toBe('%C3%A4~');
  });

  it('splits a line at || and &&', () => {
    expect(splitChain('prompt x && shell ||')).toEqual([
      { op: '', cmd: 'prompt x' },
      { op: '&&', cmd: 'shell' },
      { op: '||', cmd: '' },
    ]);
  });

  it("runs Metalbox's boot.ipxe: loops over the NICs and asks /ipxe with facts Metalbox's own parser reads back", async () => {
    const hw = simulatedHardware(1);
    const template = readFileSync(join(import.meta.dirname, '../../assets/ipxe/boot.ipxe'), 'utf8');
    const script = template.replaceAll('{{ipxeUrl}}', 'http://mb/ipxe').replaceAll('{{rounds}}', '2');
    const hh = host(ipxeSettings(hw), { 'http://mb/ipxe': '#!ipxe\necho parked\nexit\n' });
    const out = await new IpxeInterpreter(hh).run(script);
    expect(out).toEqual({ kind: 'exit' });
    const url = new URL(hh.fetched[0]!);
    const parsed = parseBootFacts(url.searchParams);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const f = parsed.facts;
    expect(f.uuid).toBe(hw.uuid);
    expect(f.mac).toBe(hw.nics[0]!.mac);
    expect(f.macs).toEqual(hw.nics.map((n) => n.mac));
    expect(f.system.manufacturer).toBe(hw.manufacturer);
    expect(f.system.productName).toBe(hw.product);
    expect(f.system.serialNumber).toBe(hw.serial);
    expect(f.cpu.coreCount).toBe(hw.cpu.cores);
    expect(f.cpu.threadCount).toBe(hw.cpu.threads);
    expect(f.cpu.speed).toBe(hw.cpu.speedMHz);
    expect(f.buildarch).toBe(hw.buildarch);
  });

  it('tries the next NIC when /ipxe fails, then reboots after the rounds', async () => {
    const hw = simulatedHardware(1);
    const template = readFileSync(join(import.meta.dirname, '../../assets/ipxe/boot.ipxe'), 'utf8');
    const script = template.replaceAll('{{ipxeUrl}}', 'http://mb/ipxe').replaceAll('{{rounds}}', '2');
    const hh = host(ipxeSettings(hw));
    const out = await new IpxeInterpreter(hh).run(script);
    expect(out).toEqual({ kind: 'reboot' });
    const nics = hw.nics.map((_, i) => `net${i}`);
    expect(nics.length).toBeGreaterThan(1);
    expect(hh.fetched.map((u) => new URL(u).searchParams.get('nic'))).toEqual([...nics, ...nics]);
    expect(hh.slept).toEqual([10]);
  });

  it('follows an install script to boot, with the kernel arguments', async () => {
    const hh = host(new Map(), { 'http://mb/env/default/vmlinuz': 'k', 'http://mb/env/default/initramfs.xz': 'i' });
    const out = await new IpxeInterpreter(hh).run('#!ipxe\nkernel http://mb/env/default/vmlinuz console=ttyS0 talos.config=http://mb/configdata?uuid=u&t=tok || goto failed\ninitrd http://mb/env/default/initramfs.xz || goto failed\nboot || goto failed\n:failed\nreboot\n');
    expect(out).toEqual({ kind: 'boot', kernel: 'http://mb/env/default/vmlinuz', args: ['console=ttyS0', 'talos.config=http://mb/configdata?uuid=u&t=tok'], initrds: ['http://mb/env/default/initramfs.xz'] });
  });
});
