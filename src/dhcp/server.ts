/**
 * The thin socket layer of the DHCP service: decodes, asks the policy, writes the lease file when the
 * policy says so, sends, counts and emits events. No policy here.
 *
 * Sockets (Node has no SO_BINDTODEVICE and no IP_PKTINFO, so interfaces are chosen by address):
 * - `<address>:67` receives unicast (relays, renewing clients) and sends every reply. Because it is bound
 *   to the provisioning address, Linux sends its limited broadcasts (255.255.255.255) out of the
 *   interface that owns that address, never by the default route.
 * - `255.255.255.255:67` receives the clients' broadcasts (from any interface: see fromAnotherNetwork).
 * - `0.0.0.0:4011` (proxy mode) receives the unicast REQUESTs of UEFI firmware and iPXE, and answers them.
 * Binding specific addresses on 67 also means a DHCP server already bound to 0.0.0.0:67 on this box is
 * reported as "port in use" instead of silently sharing the port.
 */
import { type RemoteInfo, type Socket, createSocket } from 'node:dgram';
import type { EventBus } from '../events/index.js';
import { bindError, errorMessage } from '../util/errors.js';
import { decodePacket, encodePacket, type DhcpPacket } from './codec.js';
import { messageType } from './options.js';
import type { Decision, DhcpPortKind } from './exchange.js';
import type { Peer } from './replies.js';
import { EventRateLimit, countType, emptyDhcpStats, type DhcpStats } from './stats.js';

export interface DhcpSocketsOptions {
  mode: 'proxy' | 'full';
  events: EventBus;
  /** This box's address on the provisioning network (must be local). */
  bindAddress: string;
  /** The DHCP server port (67). */
  port: number;
  /** The PXE boot server port (4011), proxy mode only. */
  pxePort?: number | undefined;
  decide: (req: DhcpPacket, on: DhcpPortKind, from: Peer) => Decision;
  /** Write the lease table to disk; awaited before a reply whose decision has `commit`. */
  commit?: () => Promise<void>;
  activeLeases?: () => number;
}

type SocketRole = 'unicast' | 'broadcast' | 'pxe';

const RECEIVE_BUFFER = 4 << 20;

export class DhcpSockets {
  private readonly sockets = new Map<SocketRole, Socket>();
  private readonly counters: DhcpStats = emptyDhcpStats();
  private readonly dropEvents = new EventRateLimit(5);

  constructor(private readonly opts: DhcpSocketsOptions) {}

  async start(): Promise<void> {
    try {
      await this.bind('unicast', this.opts.bindAddress, this.opts.port);
      await this.bind('broadcast', '255.255.255.255', this.opts.port);
      if (this.opts.pxePort !== undefined) await this.bind('pxe', '0.0.0.0', this.opts.pxePort);
    } catch (e) {
      await this.stop();
      throw e;
    }
  }

  async stop(): Promise<void> {
    const closing = [...this.sockets.values()].map((s) => new Promise<void>((res) => s.close(() => res())));
    this.sockets.clear();
    await Promise.all(closing);
  }

  stats(): DhcpStats {
    const s = structuredClone(this.counters);
    s.leases = this.opts.activeLeases?.() ?? 0;
    return s;
  }

  private bind(role: SocketRole, address: string, port: number): Promise<void> {
    // A rack powered on at once sends hundreds of DISCOVERs in a burst: ask for a large receive buffer
    // (the kernel caps it at net.core.rmem_max, and doubles what it grants).
    const sock = createSocket({ type: 'udp4', recvBufferSize: RECEIVE_BUFFER });
    const kind: DhcpPortKind = role === 'pxe' ? 'pxe' : 'dhcp';
    const service = kind === 'dhcp' ? 'DHCP' : 'PXE boot server';
    return new Promise<void>((resolve, reject) => {
      sock.once('error', (e) => {
        sock.close();
        reject(bindError(service, port, e));
      });
      sock.bind({ port, address, exclusive: true }, () => {
        sock.removeAllListeners('error');
        sock.on('error', (e) => this.dropped('0.0.0.0', `socket error: ${errorMessage(e)}`));
        sock.setBroadcast(true);
        sock.on('message', (msg, rinfo) => void this.onMessage(kind, msg, rinfo));
        this.sockets.set(role, sock);
        resolve();
      });
    });
  }

  private async onMessage(kind: DhcpPortKind, msg: Buffer, rinfo: RemoteInfo): Promise<void> {
    this.counters.received++;
    const decoded = decodePacket(msg);
    if (!decoded.ok) return this.dropped(rinfo.address, decoded.reason);
    let decision: Decision;
    try {
      decision = this.opts.decide(decoded.packet, kind, { address: rinfo.address, port: rinfo.port });
    } catch (e) {
      return this.dropped(rinfo.address, `could not be answered: ${errorMessage(e)}`);
    }
    if (decision.kind === 'drop') return this.dropped(rinfo.address, decision.reason);
    const type = messageType(decoded.packet);
    if (type) countType(this.counters.requests, type); // plain BOOTP has none
    const port = kind === 'dhcp' ? this.opts.port : (this.opts.pxePort ?? 0);
    const base = { type: 'dhcp.exchange' as const, mode: this.opts.mode, port, ...decision.note };
    try {
      if (decision.commit) await this.opts.commit?.();
    } catch (e) {
      this.counters.ignored++;
      this.opts.events.emit({ ...base, reason: `lease file not written, not answered: ${errorMessage(e)}` });
      return;
    }
    if (decision.kind === 'ignore') {
      this.counters.ignored++;
      if (!decision.quiet) this.opts.events.emit(base);
      return;
    }
    const sock = this.sockets.get(kind === 'pxe' ? 'pxe' : 'unicast');
    if (!sock) return; // stopped meanwhile
    const err = await send(sock, encodePacket(decision.reply), decision.to);
    if (err) {
      this.counters.ignored++;
      this.opts.events.emit({ ...base, reason: `reply to ${decision.to.address} not sent: ${err}` });
      return;
    }
    this.counters.answered++;
    countType(this.counters.replies, decision.replyType);
    this.opts.events.emit({ ...base, reply: decision.replyType });
  }

  private dropped(from: string, reason: string): void {
    this.counters.dropped++;
    if (this.dropEvents.allow()) this.opts.events.emit({ type: 'dhcp.dropped', from, reason });
  }
}

function send(sock: Socket, buf: Buffer, to: Peer): Promise<string | undefined> {
  return new Promise((resolve) => {
    try {
      sock.send(buf, to.port, to.address, (e) => resolve(e ? errorMessage(e) : undefined));
    } catch (e) {
      resolve(errorMessage(e));
    }
  });
}
