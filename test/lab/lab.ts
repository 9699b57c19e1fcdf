/**
 * # The QEMU lab
 *
 * A small library for tests and benchmarks that need real networks, real DHCP/TFTP peers and real
 * firmware, without touching the host's own network. Everything lives in network namespaces whose names
 * start with `mbx-<room>-<pid>-`, so parallel runs never collide, and everything is torn down by
 * `lab.cleanup()` (call it in `afterAll`), by an exit handler if the test process dies, and by a sweep of
 * namespaces left by dead processes the next time any lab starts. Deleting a namespace deletes its
 * veths, taps and bridge; processes are stopped first.
 *
 * ```ts
 * import { Lab } from '../lab/lab.js';
 * import { startDnsmasqDhcp } from '../lab/dnsmasq.js';
 * import { startNode } from '../lab/node.js';
 * import { startVm } from '../lab/qemu.js';
 * const why = missing('root', 'netns', 'bin:qemu-system-x86_64');
 * describe.skipIf(why)(`boots${skipNote(why)}`, () => {
 *   let lab: Lab;
 *   beforeAll(async () => { lab = await Lab.create('e2e'); });
 *   afterAll(() => lab?.cleanup());
 *   it('...', async () => {
 *     const lan = await lab.segment('lan');                        // a switch: a netns with bridge br0
 *     const box = await lab.host('box', lan, '10.77.0.1/24');      // a netns with eth0 on the switch
 *     const router = await lab.host('router', lan, '10.77.0.2/24');
 *     const dhcp = startDnsmasqDhcp(lab, router, { range: '10.77.0.100,10.77.0.150' }); // no boot options
 *     await dhcp.waitForOutput(/DHCP, IP range/, 10_000);
 *     const app = await startNode(lab, box, 'test/dhcp/support/netboot-host.ts', config); // TS in the netns
 *     const vm = await startVm(lab, lan, { firmware: 'uefi', mac: '52:54:00:12:34:56',
 *                                         smbios: { type1: { uuid: '...', serial: 'S1' } } });
 *     try { await app.waitFor((m) => m.type === 'http', 300_000); } finally { await vm.stop(); }
 *   }, 400_000);
 * });
 * ```
 *
 * Pieces (one file each):
 * - `lab.ts`        Lab: namespaces, segments (bridges), hosts (veth, optional fixed MAC), extra
 *                   interfaces (`attach`, for multi-homed hosts), default routes, taps, tracked processes.
 * - `process.ts`    LabProcess: a spawned program with captured output, `waitForOutput`, `stop`.
 * - `node.ts`       startNode: a TypeScript program in a namespace speaking JSON lines (NodeChild: `call`,
 *                   `waitFor`, `messages`); `node-child.ts` is its other end (`serveChild`).
 * - `udp-agent.ts`  a JSON-lines UDP socket inside a namespace (send/receive raw datagrams).
 * - `dnsmasq.ts`    dnsmasq as a plain DHCP server (the "home router": addresses only) or a TFTP server.
 * - `qemu.ts`       startVm: SeaBIOS + the NIC's iPXE ROM (`bios`, e1000) or OVMF q35 + the firmware's own
 *                   PXE (`uefi`, virtio-net-pci with `romfile=`); `-smbios` type 1/4; direct kernel boot;
 *                   serial console in a file (SeaBIOS mirrors iPXE's screen there); QMP (`vm.qmp()`).
 * - `capture.ts`    tcpdump on a segment and a pcap reader that yields the UDP datagrams.
 * - `sh.ts`         run, ip, sleep, waitUntil.
 *
 * Things learned the hard way:
 * - QEMU runs under TCG on shared cores: one VM at a time, and minutes, not seconds (BIOS to iPXE's HTTP
 *   request about 20 s, OVMF about 40 s on an idle machine).
 * - A program that sends to 255.255.255.255 from a socket bound to 0.0.0.0 needs a route for it: give
 *   test clients a default route (`lab.defaultRoute`). Real DHCP clients (udhcpc, dhclient) use raw
 *   sockets and need none.
 * - OVMF ignores DHCP offers sent to a directed broadcast (10.77.0.255) while it has no address; iPXE,
 *   udhcpc and dhclient accept them.
 * - iPXE's `${next-server}` after proxyDHCP is the DHCP server's siaddr, not the proxy's: put literal
 *   addresses in test scripts.
 * - Interface names inside a namespace are short and fixed (br0, eth0, eth1, tap0...), which is safe
 *   because every namespace is private to one lab.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LabProcess, type SpawnOptions, spawnProcess } from './process.js';
import { ip, runQuietSync } from './sh.js';

/** A layer-2 switch: a namespace holding bridge `br0`. */
export interface Segment {
  ns: string;
  bridge: 'br0';
  label: string;
}

/** A machine: a namespace with interfaces attached to segments. */
export interface Host {
  ns: string;
  label: string;
  /** Interface names in attach order: eth0, eth1, ... */
  interfaces: string[];
}

const live = new Set<Lab>();
let exitHookInstalled = false;

export class Lab {
  private readonly namespaces: string[] = [];
  private readonly processes: LabProcess[] = [];
  private portSeq = 0;
  private tapSeq = 0;
  /** A private temporary folder, removed at cleanup. */
  readonly dir: string;

  private constructor(readonly prefix: string) {
    this.dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  }

  /** A new lab; `room` goes into every name (letters and digits). */
  static async create(room: string): Promise<Lab> {
    sweepStale();
    installExitHook();
    const lab = new Lab(`mbx-${room.replace(/[^a-z0-9]/gi, '')}-${process.pid}-${Math.random().toString(36).slice(2, 6)}`);
    live.add(lab);
    return lab;
  }

  private async netns(label: string): Promise<string> {
    const ns = `${this.prefix}-${label}`;
    await ip(undefined, 'netns', 'add', ns);
    this.namespaces.push(ns);
    await ip(ns, 'link', 'set', 'lo', 'up');
    return ns;
  }

  /** A switch. `cidr` (e.g. 10.77.0.254/24) gives the bridge itself an address, which is rarely needed. */
  async segment(label: string, cidr?: string): Promise<Segment> {
    const ns = await this.netns(label);
    await ip(ns, 'link', 'add', 'br0', 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0', 'mcast_snooping', '0');
    if (cidr) await ip(ns, 'addr', 'add', cidr, 'dev', 'br0');
    await ip(ns, 'link', 'set', 'br0', 'up');
    return { ns, bridge: 'br0', label };
  }

  /**
   * A machine with one interface (eth0) on `segment`, with an address (CIDR) or none (a DHCP client),
   * and optionally a fixed MAC.
   */
  async host(label: string, segment: Segment, cidr?: string, mac?: string): Promise<Host> {
    const ns = await this.netns(label);
    const host: Host = { ns, label, interfaces: [] };
    await this.attach(host, segment, cidr, mac);
    return host;
  }

  /** Another interface (eth1, ...) for a multi-homed host. Returns its name. */
  async attach(host: Host, segment: Segment, cidr?: string, mac?: string): Promise<string> {
    const ifname = `eth${host.interfaces.length}`;
    const port = `p${++this.portSeq}`;
    await ip(undefined, 'link', 'add', 'name', ifname, 'netns', host.ns, 'type', 'veth', 'peer', 'name', port, 'netns', segment.ns);
    if (mac) await ip(host.ns, 'link', 'set', ifname, 'address', mac);
    await ip(segment.ns, 'link', 'set', port, 'master', 'br0');
    await ip(segment.ns, 'link', 'set', port, 'up');
    if (cidr) await ip(host.ns, 'addr', 'add', cidr, 'dev', ifname);
    await ip(host.ns, 'link', 'set', ifname, 'up');
    host.interfaces.push(ifname);
    return ifname;
  }

  /** A default route for a host (the "home network" of multi-homed tests). */
  async defaultRoute(host: Host, via: string): Promise<void> {
    await ip(host.ns, 'route', 'add', 'default', 'via', via);
  }

  /** A tap device on the segment's bridge, for a VM (QEMU then runs inside the segment's namespace). */
  async tap(segment: Segment): Promise<string> {
    const name = `tap${this.tapSeq++}`;
    await ip(segment.ns, 'tuntap', 'add', 'dev', name, 'mode', 'tap');
    await ip(segment.ns, 'link', 'set', name, 'master', 'br0');
    await ip(segment.ns, 'link', 'set', name, 'up');
    return name;
  }

  /** Start a program (inside `where`'s namespace when given); it is stopped at cleanup. */
  spawn(name: string, where: Host | Segment | undefined, cmd: string, args: readonly string[], opts: Omit<SpawnOptions, 'ns'> = {}): LabProcess {
    const p = spawnProcess(name, cmd, args, { ...opts, ns: where?.ns });
    this.processes.push(p);
    return p;
  }

  /** Stop every process, delete every namespace (and with them every veth, tap and bridge), remove files. */
  async cleanup(): Promise<void> {
    live.delete(this);
    await Promise.all(this.processes.map((p) => p.stop(1500).catch(() => undefined)));
    for (const ns of this.namespaces.reverse()) {
      killNamespacePids(ns);
      runQuietSync('ip', ['netns', 'del', ns]);
    }
    this.namespaces.length = 0;
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Synchronous last-resort cleanup for exit handlers. */
  cleanupSync(): void {
    for (const p of this.processes) if (p.running) p.child.kill('SIGKILL');
    for (const ns of this.namespaces) {
      killNamespacePids(ns);
      runQuietSync('ip', ['netns', 'del', ns]);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function killNamespacePids(ns: string): void {
  for (const pid of runQuietSync('ip', ['netns', 'pids', ns]).split(/\s+/).filter(Boolean)) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // gone already
    }
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const lab of live) lab.cleanupSync();
  });
}

/** Delete lab namespaces whose owning process is dead (a test run that was killed). */
export function sweepStale(): void {
  for (const line of runQuietSync('ip', ['netns', 'list']).split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const m = /^mbx-[a-z0-9]+-(\d+)-/i.exec(name);
    if (!m || pidAlive(Number(m[1]))) continue;
    killNamespacePids(name);
    runQuietSync('ip', ['netns', 'del', name]);
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export { LabProcess } from './process.js';
export { run, ip, sleep, waitUntil } from './sh.js';
