import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultSettings, envName, loadSettings, parseSettings, resolveDataDir, settingsSchema, settingsTemplate } from '../../src/config/index.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'mbx-cfg-'));
  dirs.push(d);
  return d;
};

describe('settings', () => {
  it('the commented template parses back to the defaults', () => {
    const text = settingsTemplate(settingsSchema);
    expect(text).toMatch(/^dhcp:.*\n  mode: proxy +# proxy \| full \| off$/m);
    expect(parseSettings(text, 'metalbox.yaml', {}, [])).toEqual(defaultSettings());
  });

  it('defaults < file < environment < --set', () => {
    const s = parseSettings('http:\n  port: 9000\ndhcp:\n  mode: full\n  range: 10.0.0.10-10.0.0.20\n', 'f', { METALBOX_HTTP_PORT: '9100', METALBOX_AUTO_ACCEPT_SERVERS: 'yes' }, ['http.port=9200', 'dhcp.dns=1.1.1.1,8.8.8.8', 'boot.tokenTtl=2h']);
    expect(s.http.port).toBe(9200);
    expect(s.autoAcceptServers).toBe(true);
    expect(s.dhcp.mode).toBe('full');
    expect(s.dhcp.dns).toEqual(['1.1.1.1', '8.8.8.8']);
    expect(s.boot.tokenTtl).toBe(7200);
    expect(s.tftp.port).toBe(69);
  });

  it('names every bad key with where it came from and what is expected', () => {
    let msg = '';
    try {
      parseSettings('dhcp:\n  mode: fulll\n  bogus: 1\nhttp:\n  port: 99999\naddress: 10.0.0\n', 'metalbox.yaml', { METALBOX_TFTP_PORT: 'abc' }, ['nope=1']);
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/metalbox\.yaml:2:9: dhcp\.mode: expected one of proxy, full, off, got "fulll"/);
    expect(msg).toMatch(/metalbox\.yaml:3:\d+: dhcp\.bogus: unknown key/);
    expect(msg).toMatch(/metalbox\.yaml:5:9: http\.port: expected a whole number from 1 to 65535, got 99999/);
    expect(msg).toMatch(/address: expected an IPv4 address/);
    expect(msg).toMatch(/METALBOX_TFTP_PORT: tftp\.port: expected a whole number/);
    expect(msg).toMatch(/--set nope=1: nope: unknown settings key/);
  });

  it('refuses a YAML syntax error with line and column, and full mode without a range', () => {
    expect(() => parseSettings('dhcp:\n  mode: [proxy\n', 'm.yaml', {}, [])).toThrow(/m\.yaml:\d+:\d+/);
    expect(() => parseSettings('dhcp:\n  mode: full\n', 'm.yaml', {}, [])).toThrow(/dhcp\.range: full mode needs an address range/);
    expect(() => parseSettings('dhcp:\n  mode: full\n  range: 10.0.0.9-10.0.0.1\n', 'm.yaml', {}, [])).toThrow(/low end first/);
  });

  it('writes commented defaults on first start only, mode 0600', async () => {
    const d = temp();
    const first = await loadSettings({ dataDir: d, writeDefaults: true, env: {} });
    expect(first.firstStart).toBe(true);
    writeFileSync(join(d, 'metalbox.yaml'), readFileSync(join(d, 'metalbox.yaml'), 'utf8').replace('port: 8081', 'port: 8082'));
    const second = await loadSettings({ dataDir: d, writeDefaults: true, env: {} });
    expect(second.firstStart).toBe(false);
    expect(second.settings.http.port).toBe(8082);
    await expect(loadSettings({ dataDir: d, configFile: join(d, 'missing.yaml') })).rejects.toThrow(/does not exist/);
  });

  it('maps keys to environment names and resolves the data directory', () => {
    expect(envName(['dhcp', 'proxyPort'])).toBe('METALBOX_DHCP_PROXY_PORT');
    expect(resolveDataDir('/x/y')).toBe('/x/y');
    expect(resolveDataDir(undefined, { METALBOX_DATA_DIR: '/srv/mbx' })).toBe('/srv/mbx');
    const expected = process.getuid?.() === 0 ? '/var/lib/metalbox' : '/home/u/.local/share/metalbox';
    expect(resolveDataDir(undefined, { HOME: '/home/u' })).toBe(expected);
  });
});
