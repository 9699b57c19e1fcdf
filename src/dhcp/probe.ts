/**
 * Before full mode serves, it asks the network whether another DHCP server is there: DISCOVERs from a
 * made-up MAC, broadcast (255.255.255.255) from sockets bound to the provisioning address so they leave
 * only through the provisioning interface, and a short wait for any answer. Two probes run at once:
 * - as a client: from <address>:68 with the broadcast flag, answers received on 0.0.0.0:68;
 * - as a relay: from <address>:67 with giaddr = <address>, so the other server unicasts its OFFER to us
 *   (this one works even when a DHCP client on this box holds port 68).
 * A probe whose ports cannot be bound is skipped; the server's own bind then reports the conflict.
 */
import { randomBytes } from 'node:crypto';
import { type Socket, createSocket } from 'node:dgram';
import { errnoCode } from '../util/errors.js';
import { BOOTREQUEST, BOOTREPLY, FLAG_BROADCAST, decodePacket, encodePacket, type DhcpPacket } from './codec.js';
import { OPT, getIp, messageType, setMessageType } from './options.js';
import { LIMITED_BROADCAST, type DhcpPorts } from './replies.js';
import type { SubnetInfo } from './subnet.js';

export interface ProbeOptions {
  subnet: SubnetInfo;
  ports: DhcpPorts;
  /** How long to listen for an answer (default 3000 ms); the DISCOVERs are sent twice within it. */
  waitMs?: number;
}

/** The address of another DHCP server that answered, or undefined when none did. */
export async function findOtherDhcpServer(opts: ProbeOptions): Promise<string | undefined> {
  const { address } = opts.subnet;
  const opened: Socket[] = [];
  const open = async (host: string, port: number) => {
    const s = await bindOrUndefined(host, port);
    if (s) opened.push(s);
    return s;
  };
  const clientRecv = await open('0.0.0.0', opts.ports.client);
  const clientSend = clientRecv ? await open(address, opts.ports.client) : undefined;
  const relay = await open(address, opts.ports.server);
  const asClient = probeDiscover('0.0.0.0');
  const asRelay = probeDiscover(address);
  const sends: [Socket, DhcpPacket][] = [];
  if (clientSend) sends.push([clientSend, asClient]);
  if (relay) sends.push([relay, asRelay]);
  const xids = new Set(sends.map(([, p]) => p.xid));
  try {
    return await listen(opened, sends, xids, opts);
  } finally {
    for (const s of opened) s.close();
  }
}

function bindOrUndefined(address: string, port: number): Promise<Socket | undefined> {
  return new Promise((resolve, reject) => {
    const sock = createSocket({ type: 'udp4', reuseAddr: true });
    sock.once('error', (e) => {
      sock.close();
      const code = errnoCode(e);
      if (code === 'EADDRINUSE' || code === 'EACCES') resolve(undefined);
      else reject(e);
    });
    sock.bind({ port, address }, () => {
      sock.removeAllListeners('error');
      sock.on('error', () => undefined);
      sock.setBroadcast(true);
      resolve(sock);
    });
  });
}

function listen(receivers: Socket[], sends: [Socket, DhcpPacket][], xids: Set<number>, opts: ProbeOptions): Promise<string | undefined> {
  const waitMs = opts.waitMs ?? 3000;
  return new Promise((resolve) => {
    const timers: NodeJS.Timeout[] = [];
    let done = false;
    const finish = (server: string | undefined) => {
      if (done) return;
      done = true;
      timers.forEach(clearTimeout);
      resolve(server);
    };
    for (const sock of receivers) {
      sock.on('message', (msg, rinfo) => {
        const d = decodePacket(msg);
        if (!d.ok || d.packet.op !== BOOTREPLY || !xids.has(d.packet.xid)) return;
        const type = messageType(d.packet);
        if (type === 'OFFER' || type === 'ACK' || type === 'NAK') finish(getIp(d.packet, OPT.serverId) ?? rinfo.address);
      });
    }
    const sendAll = () => {
      for (const [sock, p] of sends) sock.send(encodePacket(p), opts.ports.server, LIMITED_BROADCAST, () => undefined);
    };
    sendAll();
    timers.push(setTimeout(sendAll, Math.floor(waitMs / 2)));
    timers.push(setTimeout(() => finish(undefined), waitMs));
  });
}

function probeDiscover(giaddr: string): DhcpPacket {
  const mac = randomBytes(6);
  mac[0] = (mac[0]! & 0xfe) | 0x02; // locally administered, unicast
  const chaddr = Buffer.alloc(16);
  mac.copy(chaddr);
  const p: DhcpPacket = {
    op: BOOTREQUEST,
    htype: 1,
    hlen: 6,
    hops: giaddr === '0.0.0.0' ? 0 : 1,
    xid: randomBytes(4).readUInt32BE(0),
    secs: 0,
    flags: FLAG_BROADCAST,
    ciaddr: '0.0.0.0',
    yiaddr: '0.0.0.0',
    siaddr: '0.0.0.0',
    giaddr,
    chaddr,
    sname: '',
    file: '',
    options: new Map(),
  };
  setMessageType(p.options, 'DISCOVER');
  p.options.set(OPT.clientId, Buffer.concat([Buffer.from([1]), mac]));
  p.options.set(OPT.parameterRequestList, Buffer.from([OPT.subnetMask, OPT.router, OPT.serverId]));
  p.options.set(OPT.vendorClass, Buffer.from('metalbox-probe', 'latin1'));
  return p;
}
