/**
 * The demo rack: Metalbox in a temporary data directory on unprivileged loopback ports, serving DHCP
 * (proxy), TFTP and HTTP, with N simulated servers that boot from it over real packets. Nothing leaves
 * the loopback interface; nothing needs root.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type App } from '../app.js';
import { defaultSettings, type Settings } from '../config/index.js';
import { createDhcpService, parseCidr } from '../dhcp/index.js';
import { runOp } from '../ops/index.js';
import { createTftpService } from '../tftp/index.js';
import { ReplyListener } from './dhcp-client.js';
import { writeDemoFiles } from './files.js';
import { simulatedHardware } from './hardware.js';
import { SimulatedMachine, type MachineEnv } from './machine.js';
import { freePorts } from './ports.js';
import { QmpEndpoint, registerBmcs } from './qmp.js';

export const DEMO_ADDRESS = '127.0.0.1';

export interface DemoOptions {
  servers?: number;
  /** Scripts' waits are divided by this (tests run the rack faster). */
  speed?: number;
  /** Seconds between two machines powering on. */
  stagger?: number;
  /** Keep the data directory after stopping. */
  keep?: boolean;
  /** Power the machines on at start (default yes). */
  powerOn?: boolean;
  /** Give each machine a BMC Metalbox powers it through (a QMP endpoint; default yes). */
  bmc?: boolean;
  log?: (line: string) => void;
}

export interface Demo {
  app: App;
  dataDir: string;
  machines: SimulatedMachine[];
  settings: Settings;
  /**
   * Resolves once the services run, the stand-in Talos assets are imported and the machines are being
   * powered on; the console can paint before that.
   */
  ready: Promise<void>;
  /** Stop the machines and the appliance; removes the data directory unless kept. */
  stop(reason?: string): Promise<void>;
}

/** The machine's own loopback address: 127.77.x.y, one per machine. */
export function machineAddress(i: number): string {
  return `127.77.${Math.floor(i / 240)}.${10 + (i % 240)}`;
}

export async function startDemo(o: DemoOptions = {}): Promise<Demo> {
  const count = Math.max(0, Math.min(2000, o.servers ?? 6));
  let stopped = false;
  const speed = o.speed ?? 1;
  const log = o.log ?? (() => undefined);
  const dataDir = await mkdtemp(join(tmpdir(), 'metalbox-demo-'));
  const files = await writeDemoFiles(dataDir);
  const ports = await freePorts();
  const settings = defaultSettings();
  settings.address = DEMO_ADDRESS;
  settings.interface = 'lo';
  settings.dhcp.mode = 'proxy';
  settings.dhcp.port = ports.dhcp;
  settings.dhcp.proxyPort = ports.proxy;
  settings.tftp.port = ports.tftp;
  settings.http.port = ports.http;
  settings.talos.eventsPort = ports.events;
  settings.talos.kernelLogPort = ports.kernelLog;
  settings.ipxe.paths = [files.ipxeDir];
  settings.boot.parkInterval = Math.max(1, Math.round(5 / speed));
  let app: App;
  try {
    app = await buildApp({ dataDir, settings, firstStart: false });
  } catch (e) {
    await rm(dataDir, { recursive: true, force: true });
    throw e;
  }
  wireLoopbackServices(app, settings, dataDir, files.ipxe);
  const replies = new ReplyListener(ports.dhcp + 1);
  const env: MachineEnv = {
    dhcp: { address: DEMO_ADDRESS, port: ports.dhcp, proxyPort: ports.proxy },
    replies,
    tftp: { address: DEMO_ADDRESS, port: ports.tftp },
    speed,
    log: (i, line) => log(`server ${i + 1}: ${line}`),
  };
  const machines = Array.from({ length: count }, (_, i) => new SimulatedMachine(simulatedHardware(i), machineAddress(i), env));
  const timers: NodeJS.Timeout[] = [];
  const bmcs = o.bmc === false ? [] : machines.map((m) => new QmpEndpoint(m, m.address));
  let unregister = () => undefined as void;
  const ready = (async () => {
    await replies.start();
    const endpoints = new Map<string, string>();
    for (const [i, b] of bmcs.entries()) endpoints.set(machines[i]!.hw.uuid, await b.start());
    unregister = registerBmcs({ app, endpoints, log });
    await app.start();
    // Talos kernels and initrds for the built-in environments: small stand-ins, imported and verified.
    await runOp(app.ops, 'assets.import', { paths: [files.amd64Dir], env: 'default' });
    await runOp(app.ops, 'assets.import', { paths: [files.arm64Dir], env: 'default-arm64' });
    if (o.powerOn !== false && !stopped) {
      machines.forEach((m, i) => timers.push(setTimeout(() => m.powerOn(), (i * (o.stagger ?? 0.7) * 1000) / speed)));
    }
  })();
  ready.catch((e) => log(`the demo could not start: ${(e as Error).message}`));
  return {
    app,
    dataDir,
    machines,
    settings,
    ready,
    async stop(reason = 'the demo ended') {
      if (stopped) return;
      stopped = true;
      await ready.catch(() => undefined);
      for (const t of timers) clearTimeout(t);
      for (const m of machines) m.powerOff();
      unregister();
      await Promise.all(bmcs.map((b) => b.stop()));
      await replies.stop();
      await app.stop(reason);
      if (!o.keep) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * DHCP (proxy) and TFTP on loopback. The appliance picks its provisioning interface among the physical
 * ones, which loopback is not, so the demo wires these two itself unless the app already has them.
 */
function wireLoopbackServices(app: App, settings: Settings, dataDir: string, ipxe: Map<string, string>): void {
  const have = new Set(app.services.status().map((s) => s.name));
  if (!have.has('dhcp') && !have.has('dhcp-proxy')) {
    const dhcp = createDhcpService({ settings, events: app.events, address: DEMO_ADDRESS, subnet: parseCidr('127.0.0.1/8')!, dataDir, ipxeBinaries: ipxe.keys() });
    app.services.add({ name: 'dhcp', start: () => dhcp.start(), stop: () => dhcp.stop(), describe: () => `proxy :${settings.dhcp.port} on lo` });
  }
  if (!have.has('tftp')) {
    const tftp = createTftpService({ settings, events: app.events, files: ipxe });
    app.services.add({ name: 'tftp', start: () => tftp.start(), stop: () => tftp.stop(), describe: () => `:${settings.tftp.port}` });
  }
}
