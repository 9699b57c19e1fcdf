/**
 * Building replies and deciding where they go: pure functions shared by proxy and full mode.
 *
 * Multi-homed boxes: replies to clients without an address go to the limited broadcast 255.255.255.255
 * (UEFI firmware ignores directed broadcasts such as 10.77.0.255 while it has no address), sent from the
 * socket bound to the provisioning address, which Linux routes out of that address's interface only (see
 * server.ts); relayed requests are answered to the relay (giaddr) and renewing clients unicast to ciaddr.
 */
import type { DhcpMessageName } from '../events/index.js';
import type { BootFileChoice } from './boot-file.js';
import { BOOTREPLY, FLAG_BROADCAST, type DhcpPacket } from './codec.js';
import { OPT, ipBytes, pxeDiscoveryControlOption, setMessageType } from './options.js';
import { inSubnet, type SubnetInfo, ZERO_IP } from './subnet.js';

export const LIMITED_BROADCAST = '255.255.255.255';

export interface Peer {
  address: string;
  port: number;
}

/** Server and client UDP ports: 67 and 68 normally; tests may use another pair (client = server + 1). */
export interface DhcpPorts {
  server: number;
  client: number;
}

/** A BOOTREPLY skeleton for a request: ids copied, our server identifier set. */
export function baseReply(req: DhcpPacket, type: DhcpMessageName, serverAddress: string): DhcpPacket {
  const reply: DhcpPacket = {
    op: BOOTREPLY,
    htype: req.htype,
    hlen: req.hlen,
    hops: 0,
    xid: req.xid,
    secs: 0,
    flags: req.flags,
    ciaddr: ZERO_IP,
    yiaddr: ZERO_IP,
    siaddr: ZERO_IP,
    giaddr: req.giaddr,
    chaddr: Buffer.from(req.chaddr),
    sname: '',
    file: '',
    options: new Map(),
  };
  setMessageType(reply.options, type);
  reply.options.set(OPT.serverId, ipBytes(serverAddress));
  return reply;
}

/**
 * Add the boot file to a reply: siaddr and `sname` (the TFTP server), BOOTP `file` and option 67 (some
 * firmware, U-Boot among them, read only the header field), option 66, option 60 when asked for, option 43
 * discovery control for BIOS PXE ROMs, and option 97 echoed as PXE requires.
 */
export function addBootFile(
  reply: DhcpPacket,
  req: DhcpPacket,
  choice: Extract<BootFileChoice, { answer: true }>,
  serverAddress: string,
  opts: { vendorClass: boolean },
): void {
  reply.siaddr = serverAddress;
  reply.sname = serverAddress;
  reply.file = choice.bootFile.length < 128 ? choice.bootFile : '';
  if (opts.vendorClass || choice.vendorClass === 'HTTPClient') {
    reply.options.set(OPT.vendorClass, Buffer.from(choice.vendorClass, 'latin1'));
  }
  if (choice.biosPxe) reply.options.set(OPT.vendorSpecific, pxeDiscoveryControlOption());
  reply.options.set(OPT.tftpServerName, Buffer.from(serverAddress, 'latin1'));
  reply.options.set(OPT.bootFileName, Buffer.from(choice.bootFile, 'latin1'));
  const uuid = req.options.get(OPT.clientMachineId);
  if (uuid) reply.options.set(OPT.clientMachineId, Buffer.from(uuid));
}

/** Relay agent information (82) must come back unchanged and last (RFC 3046). */
export function echoRelayAgentInfo(reply: DhcpPacket, req: DhcpPacket): void {
  const info = req.options.get(OPT.relayAgentInfo);
  if (info) {
    reply.options.delete(OPT.relayAgentInfo);
    reply.options.set(OPT.relayAgentInfo, Buffer.from(info));
  }
}

/** Where a reply to a request received on the DHCP port goes (RFC 2131 4.1, with the rule above). */
export function replyDestination(req: DhcpPacket, ports: DhcpPorts, nak = false): Peer {
  if (req.giaddr !== ZERO_IP) return { address: req.giaddr, port: ports.server };
  if (!nak && req.ciaddr !== ZERO_IP) return { address: req.ciaddr, port: ports.client };
  return { address: LIMITED_BROADCAST, port: ports.client };
}

/** NAKs to a relay must carry the broadcast bit so the relay broadcasts them (RFC 2131 4.1). */
export function markBroadcastForRelay(reply: DhcpPacket): void {
  if (reply.giaddr !== ZERO_IP) reply.flags |= FLAG_BROADCAST;
}

/**
 * Why a request evidently comes from another network (and must be ignored), or undefined. Relayed
 * requests are accepted: relays sit on other subnets by design.
 */
export function fromAnotherNetwork(req: DhcpPacket, from: Peer, subnet: SubnetInfo): string | undefined {
  if (req.giaddr !== ZERO_IP) return undefined;
  const net = `${subnet.network}/${subnet.prefix}`;
  if (req.ciaddr !== ZERO_IP && !inSubnet(req.ciaddr, subnet)) {
    return `client address ${req.ciaddr} is not on the provisioning network ${net}`;
  }
  if (from.address !== ZERO_IP && !inSubnet(from.address, subnet)) {
    return `sent from ${from.address}, not on the provisioning network ${net}`;
  }
  return undefined;
}
