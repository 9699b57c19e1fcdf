/**
 * The DHCP service the app wires: proxy or full mode (or off) over the sockets of server.ts.
 */
import { mkdir } from 'node:fs/promises';
import type { Settings } from '../config/index.js';
import { parseRange } from '../config/index.js';
import type { EventBus } from '../events/index.js';
import { MetalboxError } from '../util/errors.js';
import type { IpxePreference } from './boot-file.js';
import type { DhcpPortKind } from './exchange.js';
import { answerFull, type FullContext } from './full.js';
import { LeaseWriter, leaseFilePath, readLeaseFile } from './lease-file.js';
import { LeaseTable } from './leases.js';
import { findOtherDhcpServer } from './probe.js';
import { answerProxy, type ProxyContext } from './proxy.js';
import { RelayedClients } from './relayed.js';
import type { DhcpPorts } from './replies.js';
import { DhcpSockets } from './server.js';
import { emptyDhcpStats, type DhcpStats } from './stats.js';
import { inSubnet, type SubnetInfo } from './subnet.js';

export interface DhcpServiceOptions {
  settings: Settings;
  events: EventBus;
  /** The IPv4 address advertised to clients (siaddr, option 54, TFTP and HTTP server). */
  address: string;
  /** The provisioning subnet (see listIpv4Interfaces / pickProvisioningInterface). */
  subnet: SubnetInfo;
  /** Where full mode keeps `dhcp-leases.json`. */
  dataDir: string;
  /** Per-server or per-class choice between ipxe.efi and snponly.efi, by client MAC. */
  bootPreference?: (mac: string) => IpxePreference | undefined;
  /** The iPXE binary names found at start (see findIpxeBinaries in src/tftp). */
  ipxeBinaries: Iterable<string>;
  /** How long full mode listens for another DHCP server before serving (default 3000 ms). */
  probeWaitMs?: number;
}

export interface DhcpService {
  readonly mode: Settings['dhcp']['mode'];
  /**
   * Bind and serve. Rejects with a MetalboxError: BIND_PERMISSION / BIND_IN_USE / BIND_FAILED (see
   * bindError), DHCP_OTHER_SERVER (full mode found another DHCP server), DHCP_NO_RANGE,
   * DHCP_LEASES_CORRUPT / DHCP_LEASES_UNREADABLE. Resolves at once in `off` mode.
   */
  start(): Promise<void>;
  /** Close the sockets and write the lease table. */
  stop(): Promise<void>;
  stats(): DhcpStats;
}

export function createDhcpService(opts: DhcpServiceOptions): DhcpService {
  let running: Running | undefined;
  return {
    mode: opts.settings.dhcp.mode,
    async start() {
      if (running) return;
      const mode = opts.settings.dhcp.mode;
      if (mode === 'off') return;
      const next = mode === 'proxy' ? proxyMode(opts) : await fullMode(opts);
      await next.sockets.start(); // throws before anything is marked running
      running = next;
    },
    async stop() {
      const r = running;
      running = undefined;
      await r?.sockets.stop();
      await r?.writer?.flush();
    },
    stats: () => running?.sockets.stats() ?? emptyDhcpStats(),
  };
}

interface Running {
  sockets: DhcpSockets;
  writer?: LeaseWriter;
}

function ports(opts: DhcpServiceOptions): DhcpPorts {
  return { server: opts.settings.dhcp.port, client: opts.settings.dhcp.port + 1 };
}

function bootContext(opts: DhcpServiceOptions) {
  return {
    address: opts.address,
    httpPort: opts.settings.http.port,
    ipxeBinaries: new Set(opts.ipxeBinaries),
    bootPreference: opts.bootPreference,
  };
}

function proxyMode(opts: DhcpServiceOptions): Running {
  const ctx: ProxyContext = { ...bootContext(opts), subnet: opts.subnet, ports: ports(opts), relayed: new RelayedClients() };
  const sockets = new DhcpSockets({
    mode: 'proxy',
    events: opts.events,
    bindAddress: opts.subnet.address,
    port: ctx.ports.server,
    pxePort: opts.settings.dhcp.proxyPort,
    decide: (req, on: DhcpPortKind, from) => answerProxy(req, on, from, ctx),
  });
  return { sockets };
}

/** Load the leases, make sure nobody else serves this network, then build the sockets. */
async function fullMode(opts: DhcpServiceOptions): Promise<Running> {
  const { dhcp } = opts.settings;
  const leases = await loadLeases(opts);
  if (dhcp.checkOtherServers) {
    const other = await findOtherDhcpServer({ subnet: opts.subnet, ports: ports(opts), waitMs: opts.probeWaitMs ?? 3000 });
    if (other) throw otherServer(other, opts.subnet);
  }
  const writer = new LeaseWriter(leaseFilePath(opts.dataDir), () => leases.all());
  const ctx: FullContext = {
    ...bootContext(opts),
    subnet: opts.subnet,
    ports: ports(opts),
    leases,
    leaseTime: dhcp.leaseTime,
    router: dhcp.router,
    dns: dhcp.dns,
  };
  const sockets = new DhcpSockets({
    mode: 'full',
    events: opts.events,
    bindAddress: opts.subnet.address,
    port: ctx.ports.server,
    decide: (req, _on, from) => answerFull(req, from, ctx),
    commit: () => writer.save(),
    activeLeases: () => leases.active().length,
  });
  return { sockets, writer };
}

async function loadLeases(opts: DhcpServiceOptions): Promise<LeaseTable> {
  const range = parseRange(opts.settings.dhcp.range);
  if (!range) {
    throw new MetalboxError('DHCP_NO_RANGE', 'full DHCP mode needs an address range', {
      hint: 'set dhcp.range in metalbox.yaml, e.g. range: 10.77.0.100-10.77.0.200',
    });
  }
  for (const end of [range.start, range.end]) {
    if (!inSubnet(end, opts.subnet)) {
      throw new MetalboxError(
        'DHCP_RANGE_OUTSIDE',
        `dhcp.range ${opts.settings.dhcp.range} is not inside the provisioning network ${opts.subnet.network}/${opts.subnet.prefix}`,
        { hint: 'choose a range inside the provisioning interface\'s subnet, or the right interface' },
      );
    }
  }
  const table = new LeaseTable({
    range,
    reservations: opts.settings.dhcp.reservations.map((r) => ({ mac: r.mac, address: r.address, hostname: r.hostname })),
    excluded: [opts.address, opts.subnet.network, opts.subnet.broadcast],
  });
  await mkdir(opts.dataDir, { recursive: true, mode: 0o700 });
  table.load(await readLeaseFile(leaseFilePath(opts.dataDir)));
  return table;
}

function otherServer(other: string, subnet: SubnetInfo): MetalboxError {
  const where = subnet.interface ? ` on ${subnet.interface}` : '';
  return new MetalboxError('DHCP_OTHER_SERVER', `another DHCP server answers at ${other}${where}; full mode will not compete with it`, {
    hint: 'turn that server off if this network is meant for Metalbox alone, or set dhcp.mode: proxy to work beside it',
  });
}
