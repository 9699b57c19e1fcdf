/**
 * The boot services of Metalbox inside a lab namespace (run with startNode): DHCP (proxy or full), TFTP
 * over the iPXE binaries, and a minimal HTTP responder that records requests (until the HTTP boot flow
 * lands, /boot.ipxe answers a tiny script). Streams every event as {type: 'event', event} and every HTTP
 * request as {type: 'http', url, from}. Ops: stats, leases, stopDhcp, startDhcp.
 */
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { defaultSettings, type Settings } from '../../../src/config/index.js';
import { createDhcpService, parseCidr, type DhcpService } from '../../../src/dhcp/index.js';
import { EventBus } from '../../../src/events/index.js';
import { createTftpService, findIpxeBinaries, type TftpService } from '../../../src/tftp/index.js';
import { serveChild } from '../../lab/node-child.js';

export interface NetbootHostConfig {
  /** This box on the provisioning network, e.g. 10.77.0.1/24. */
  cidr: string;
  dataDir: string;
  /** Deep-merged over defaultSettings(). */
  settings?: Partial<{ [K in keyof Settings]: Partial<Settings[K]> }>;
  dhcp?: boolean;
  tftp?: boolean;
  http?: boolean;
  /** Extra files served by TFTP: name -> path. */
  files?: Record<string, string>;
  probeWaitMs?: number;
  /** MACs that prefer snponly.efi. */
  snponly?: string[];
  /** Do not stream events to the parent (benchmarks: keep JSON encoding out of the server's time). */
  quiet?: boolean;
}

function merge(base: Settings, over: NetbootHostConfig['settings']): Settings {
  const out = structuredClone(base) as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(over ?? {})) {
    out[k] = v && typeof v === 'object' && !Array.isArray(v) ? { ...(out[k] as object), ...v } : v;
  }
  return out as unknown as Settings;
}

void serveChild<NetbootHostConfig>(async (config, emit) => {
  const settings = merge(defaultSettings(), config.settings);
  const subnet = parseCidr(config.cidr);
  if (!subnet) throw new Error(`bad cidr ${config.cidr}`);
  const events = new EventBus();
  if (!config.quiet) events.subscribe((r) => emit({ type: 'event', event: r.event as unknown as Record<string, unknown> }));
  const found = await findIpxeBinaries(settings.ipxe.paths);
  const files = new Map([...found.files, ...Object.entries(config.files ?? {})]);
  let dhcp: DhcpService | undefined;
  let tftp: TftpService | undefined;
  const snp = new Set(config.snponly ?? []);
  if (config.dhcp !== false) {
    dhcp = createDhcpService({
      settings,
      events,
      address: subnet.address,
      subnet,
      dataDir: config.dataDir,
      ipxeBinaries: files.keys(),
      bootPreference: (mac) => (snp.has(mac) ? 'snponly' : undefined),
      ...(config.probeWaitMs !== undefined ? { probeWaitMs: config.probeWaitMs } : {}),
    });
    await dhcp.start();
  }
  if (config.tftp) {
    tftp = createTftpService({ settings, events, files });
    await tftp.start();
  }
  const http = config.http ? await startHttp(subnet.address, settings.http.port, emit) : undefined;
  return {
    ready: { files: [...files.keys()], missing: found.missing },
    ops: {
      stats: () => ({ dhcp: dhcp?.stats(), tftp: tftp?.stats() }),
      leases: async () => JSON.parse(await readFile(`${config.dataDir}/dhcp-leases.json`, 'utf8')) as unknown,
      stopDhcp: async () => {
        await dhcp?.stop();
        return dhcp?.stats() ?? null;
      },
      startDhcp: async () => {
        await dhcp?.start();
        return null;
      },
    },
    stop: async () => {
      await dhcp?.stop();
      await tftp?.stop();
      http?.close();
    },
  };
});

/**
 * /boot.ipxe chains to /lab/smbios with what iPXE read from SMBIOS (so a test can check -smbios values
 * arrive), which answers a script that just waits. Everything else is 404.
 */
async function startHttp(address: string, port: number, emit: (m: Record<string, unknown> & { type: string }) => void) {
  const script = (body: string) => `#!ipxe\n${body}\n`;
  const server = createServer((req, res) => {
    emit({ type: 'http', method: req.method ?? '', url: req.url ?? '', from: req.socket.remoteAddress ?? '' });
    let body: string | undefined;
    if (req.url?.startsWith('/boot.ipxe')) {
      body = script(
        'echo metalbox-lab: boot.ipxe reached\n' +
          `chain http://${address}:${port}/lab/smbios?` + 'uuid=${uuid}&serial=${serial:uristring}&manufacturer=${manufacturer:uristring}&product=${product:uristring}&mac=${net0/mac:hexhyp}',
      );
    } else if (req.url?.startsWith('/lab/smbios')) {
      body = script('echo metalbox-lab: smbios reported\nsleep 600');
    }
    if (body === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(port, '0.0.0.0', () => resolve()));
  return server;
}
