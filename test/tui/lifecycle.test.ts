import { afterEach, describe, expect, it } from 'vitest';
import type { Ipv4Interface } from '../../src/dhcp/index.js';
import { KEY, startConsole, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const nic = (name: string, address: string, defaultRoute: boolean, virtual = false): Ipv4Interface =>
  ({ interface: name, address, prefix: 24, network: address.replace(/\.\d+$/, '.0'), broadcast: address.replace(/\.\d+$/, '.255'), netmask: '255.255.255.0', mac: '02:00:00:00:00:01', defaultRoute, virtual }) as unknown as Ipv4Interface;

describe('first start', () => {
  it('shows the detected interface and DHCP mode, and lets the operator change them in place', async () => {
    h = await startConsole({
      firstStart: true,
      rows: 40,
      console: { interfaces: [nic('eth0', '192.0.2.2', true), nic('eth1', '10.77.0.1', false), nic('docker0', '172.17.0.1', false, true)] },
    });
    let t = h.text();
    expect(t).toContain('first start');
    expect(t).toMatch(/Interface\s+eth0 192\.0\.2\.2\/24 \(carries the default route/);
    expect(t).toMatch(/DHCP mode\s+proxy/);
    expect(t).toContain('docker0 172.17.0.1/24 (virtual)');
    await h.press('m', '2'); // full
    t = h.text();
    expect(t).toMatch(/DHCP mode\s+full/);
    expect(t).toMatch(/Interface\s+eth1 10\.77\.0\.1\/24 \(the only interface without a default route/);
    expect(t).toContain('not set: r sets it');
    await h.press(KEY.enter);
    expect(h.text()).toContain('full mode needs a range first');
    await h.press('r');
    await h.type('10.77.0.100 to 200');
    await h.press(KEY.enter);
    expect(h.text()).toContain('write it as first-last');
    await h.press('\x15');
    await h.type('10.77.0.100-10.77.0.200');
    await h.press(KEY.enter);
    expect(h.text()).toMatch(/Range\s+10\.77\.0\.100-10\.77\.0\.200/);
    await h.press('i', 'j', KEY.enter); // eth0 explicitly
    expect(h.text()).toMatch(/Interface\s+eth0 .*set in metalbox\.yaml/);
    await h.press(KEY.esc);
    expect(h.text()).toMatch(/servers\[0\]/);
    await h.press(':');
    await h.type('setup');
    await h.press(KEY.enter);
    expect(h.text()).toContain('first start');
  });
});

describe('quitting', () => {
  it('asks first, then stops the services and gives the terminal back', async () => {
    h = await startConsole({ start: true });
    expect(h.tty.input.isRaw).toBe(true);
    const out: string[] = [];
    h.tty.output.on('data', (d: Buffer) => out.push(d.toString('latin1')));
    await h.press('q');
    expect(h.text()).toContain('Stop Metalbox and quit?');
    await h.press('n');
    expect(h.text()).not.toContain('Stop Metalbox and quit?');
    await h.press('q', 'y');
    await h.console.closed;
    expect(h.app.services.status().find((s) => s.name === 'http')?.state).toBe('stopped');
    expect(h.tty.input.isRaw).toBe(false);
    expect(out.join('')).toContain('\x1b[?1049l'); // left the alternate screen
  });
});
