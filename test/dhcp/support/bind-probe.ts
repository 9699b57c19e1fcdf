/**
 * Start the DHCP or TFTP service once and print what happened as one JSON line; the test runs this as an
 * unprivileged user to see the privileged-port error an operator would see.
 *   npx tsx bind-probe.ts '{"service":"dhcp","port":67}'
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSettings } from '../../../src/config/index.js';
import { createDhcpService, parseCidr } from '../../../src/dhcp/index.js';
import { EventBus } from '../../../src/events/index.js';
import { createTftpService } from '../../../src/tftp/index.js';

const { service, port } = JSON.parse(process.argv[2] ?? '{}') as { service: 'dhcp' | 'tftp'; port: number };
const settings = defaultSettings();
settings.dhcp.port = port;
settings.tftp.port = port;
const events = new EventBus();
const subnet = parseCidr('127.0.0.1/8')!;
const s =
  service === 'dhcp'
    ? createDhcpService({ settings, events, address: '127.0.0.1', subnet, dataDir: mkdtempSync(join(tmpdir(), 'mbx-bind-')), ipxeBinaries: [] })
    : createTftpService({ settings, events, files: new Map() });
try {
  await s.start();
  console.log(JSON.stringify({ started: true }));
  await s.stop();
} catch (e) {
  const err = e as Error & { code?: string; hint?: string };
  console.log(JSON.stringify({ started: false, code: err.code, message: err.message, hint: err.hint }));
}
