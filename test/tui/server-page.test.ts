import { afterEach, describe, expect, it } from 'vitest';
import { KEY, server, startConsole, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const NAME = '4c4c4544-0042-3510-8050-b4c04f00abcd';
const MAC = '52:54:00:12:34:56';

async function page(): Promise<Harness> {
  const hh = await startConsole({
    cols: 110,
    rows: 50,
    seed: async (app) => {
      await app.store.create(
        server(NAME, {
          accepted: true,
          hostname: 'node-a',
          bmc: { endpoint: '10.9.0.5', user: 'admin', pass: 'hunter2-secret' },
          hardware: {
            system: { manufacturer: 'Dell Inc.', productName: 'PowerEdge R640', serialNumber: 'SN123' },
            compute: { totalCoreCount: 32, totalThreadCount: 64, processorCount: 2, processors: [{ productName: 'Xeon Gold 6130', speed: 2100 }] },
            memory: { totalSize: '128 GB', moduleCount: 8 },
            storage: { totalSize: '960 GB', devices: [{ deviceName: '/dev/nvme0n1', type: 'NVMe', size: 960 * 1024 ** 3 }] },
            network: { interfaces: [{ name: 'eno1', mac: MAC }] },
          },
        }),
      );
    },
  });
  await hh.press(KEY.enter);
  return hh;
}

describe('server page', () => {
  it('shows hardware, power and the BMC, never its password', async () => {
    h = await page();
    const t = h.text();
    expect(t).toContain('server 4c4c4544-004…');
    expect(t).toMatch(/System\s+Dell Inc\. · PowerEdge R640 · serial SN123/);
    expect(t).toMatch(/CPU\s+2 × Xeon Gold 6130 · 32 cores \/ 64 threads · 2100 MHz/);
    expect(t).toMatch(/Memory\s+128 GB in 8 modules/);
    expect(t).toMatch(/BMC\s+10\.9\.0\.5(:623)? lanplus user admin · password set \(hidden\)/);
    expect(t).not.toContain('hunter2');
    await h.press('5', 'G'); // YAML tab, its end
    expect(h.text()).toContain('pass: <redacted>');
    expect(h.text()).not.toContain('hunter2');
  });

  it('shows the YAML from the list with the password redacted, even with rows marked', async () => {
    h = await page();
    await h.press(KEY.esc, KEY.space, 'k', 'y', 'G');
    expect(h.text()).toContain('pass: <redacted>');
    expect(h.text()).not.toContain('hunter2');
  });

  it('draws the boot timeline with times and transfer progress, folding progress into one line', async () => {
    h = await page();
    const ev = h.app.events;
    ev.emit({ type: 'dhcp.exchange', mac: MAC, request: 'DISCOVER', reply: 'OFFER', mode: 'proxy', port: 67, bootFile: 'ipxe.efi' });
    ev.emit({ type: 'tftp.transfer', mac: MAC, peer: '10.0.0.9', file: 'ipxe.efi', phase: 'start', bytes: 0, total: 1000 });
    ev.emit({ type: 'tftp.transfer', mac: MAC, peer: '10.0.0.9', file: 'ipxe.efi', phase: 'progress', bytes: 450, total: 1000 });
    await h.press('2');
    expect(h.text()).toMatch(/\d\d:\d\d:\d\d\s+DHCP\s+OFFER ipxe\.efi/);
    expect(h.text()).toMatch(/TFTP\s+ipxe\.efi .* 45%/);
    ev.emit({ type: 'tftp.transfer', mac: MAC, peer: '10.0.0.9', file: 'ipxe.efi', phase: 'done', bytes: 1000, total: 1000 });
    ev.emit({ type: 'boot.ipxe', server: NAME, mac: MAC, decision: 'install', environment: 'default' });
    ev.emit({ type: 'boot.asset', server: NAME, environment: 'default', file: 'vmlinuz', peer: '10.0.0.9', bytes: 100 });
    ev.emit({ type: 'boot.asset', server: NAME, environment: 'default', file: 'initramfs.xz', peer: '10.0.0.9', bytes: 100 });
    ev.emit({ type: 'boot.config', server: NAME, outcome: 'served' });
    ev.emit({ type: 'talos.event', server: NAME, phase: 'install', detail: 'START' });
    ev.emit({ type: 'boot.installed', server: NAME });
    await h.settle();
    const t = h.text();
    expect(t.match(/TFTP\s+ipxe\.efi/g)).toHaveLength(1);
    expect(t).toMatch(/TFTP\s+ipxe\.efi .* 100%/);
    for (const step of [/iPXE\s+install default/, /kernel\s+vmlinuz/, /initrd\s+initramfs\.xz/, /config\s+config fetched/, /Talos\s+install: START/, /\d\d:\d\d:\d\d\s+installed\s+│/]) expect(t).toMatch(step);
  });

  it('shows the kernel log as Talos streams it, following new lines', async () => {
    h = await page();
    await h.press('3');
    expect(h.text()).toContain('no kernel log yet');
    for (let i = 1; i <= 40; i++) h.app.events.emit({ type: 'talos.log', server: NAME, line: `kmsg line ${i}` });
    await h.settle();
    expect(h.text()).toContain('kmsg line 40');
    expect(h.text()).not.toContain('kmsg line 1\n');
    await h.press('g');
    expect(h.text()).toContain('kmsg line 1');
  });

  it('acts on the server from its page, and esc goes back to the list', async () => {
    h = await page();
    await h.press('c');
    await h.waitFor((t) => /cordoned\s+yes/.test(t));
    await h.press(KEY.esc);
    expect(h.text()).toMatch(/servers\[1\]/);
    expect(h.line('node-a')).toMatch(/cordoned/);
  });

  it('renders the Talos config on its tab, or says why it cannot', async () => {
    h = await page();
    await h.press('4');
    await h.waitFor((t) => !t.includes('rendering…'));
    // An unallocated server has no config to render: the reason is shown in the tab, the console carries on.
    expect(h.text()).toMatch(/not allocated to a cluster/);
    await h.press('1');
    expect(h.text()).toMatch(/State\s+available/);
  });
});
