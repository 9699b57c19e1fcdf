/**
 * Proxy mode (the default): never assigns an address, answers only network-boot clients.
 * - port 67: an OFFER to a DISCOVER, an ACK to a REQUEST addressed to us (option 54);
 * - port 4011: an ACK to the REQUEST that UEFI firmware (and iPXE) unicast to the boot server.
 * Every answer carries siaddr, option 54, option 60, option 97 echoed, the boot file in BOOTP `file` and
 * option 67, and option 43 discovery control 8 for BIOS clients.
 *
 * Behind a relay: a relayed request is answered to the relay (giaddr), and the client's routed REQUEST
 * to 4011 that follows is accepted although it comes from another network (see relayed.ts).
 */
import { chooseBootFile } from './boot-file.js';
import { BOOTREQUEST, type DhcpPacket } from './codec.js';
import {
  type BootContext,
  type ClientFacts,
  type Decision,
  type DhcpPortKind,
  bootQuery,
  clientFacts,
  noteFor,
} from './exchange.js';
import { OPT, getIp } from './options.js';
import {
  type DhcpPorts,
  type Peer,
  addBootFile,
  baseReply,
  echoRelayAgentInfo,
  fromAnotherNetwork,
  replyDestination,
} from './replies.js';
import type { RelayedClients } from './relayed.js';
import { type SubnetInfo, ZERO_IP } from './subnet.js';

export interface ProxyContext extends BootContext {
  subnet: SubnetInfo;
  ports: DhcpPorts;
  /** Clients answered through a relay, whose 4011 REQUEST may come from another network. */
  relayed?: RelayedClients | undefined;
}

export function answerProxy(req: DhcpPacket, on: DhcpPortKind, from: Peer, ctx: ProxyContext): Decision {
  if (req.op !== BOOTREQUEST) return { kind: 'drop', reason: 'not a BOOTREQUEST' };
  const c = clientFacts(req);
  if (!c.type) return { kind: 'ignore', note: noteFor(c), quiet: true };
  if (!c.netboot) return { kind: 'ignore', note: { ...noteFor(c), reason: 'not a network-boot client' }, quiet: true };
  const elsewhere = fromAnotherNetwork(req, from, ctx.subnet);
  if (elsewhere && !(on === 'pxe' && ctx.relayed?.has(c.mac))) return { kind: 'drop', reason: elsewhere };
  return on === 'dhcp' ? onDhcpPort(req, c, ctx) : onPxePort(req, c, from, ctx);
}

function onDhcpPort(req: DhcpPacket, c: ClientFacts, ctx: ProxyContext): Decision {
  if (c.type === 'DISCOVER') return bootReply(req, c, 'OFFER', replyDestination(req, ctx.ports), ctx);
  if (c.type === 'REQUEST') {
    const server = getIp(req, OPT.serverId);
    if (server !== ctx.address) {
      return { kind: 'ignore', note: { ...noteFor(c), reason: `REQUEST for server ${server ?? 'unnamed'}` }, quiet: true };
    }
    return bootReply(req, c, 'ACK', replyDestination(req, ctx.ports), ctx);
  }
  return { kind: 'ignore', note: { ...noteFor(c), reason: `proxy mode does not answer ${c.type}` }, quiet: true };
}

/** Port 4011: the client has an address now and expects a unicast ACK to where it sent from. */
function onPxePort(req: DhcpPacket, c: ClientFacts, from: Peer, ctx: ProxyContext): Decision {
  if (c.type !== 'REQUEST' && c.type !== 'INFORM') {
    return { kind: 'ignore', note: { ...noteFor(c), reason: `port ${ctx.ports.server} only answers REQUEST` }, quiet: true };
  }
  return bootReply(req, c, 'ACK', from, ctx);
}

function bootReply(req: DhcpPacket, c: ClientFacts, type: 'OFFER' | 'ACK', to: Peer, ctx: ProxyContext): Decision {
  const choice = chooseBootFile(bootQuery(c, ctx));
  const note = noteFor(c, choice);
  if (!choice.answer) return { kind: 'ignore', note, quiet: false };
  const reply = baseReply(req, type, ctx.address);
  if (type === 'ACK' && req.ciaddr !== '0.0.0.0') reply.ciaddr = req.ciaddr;
  addBootFile(reply, req, choice, ctx.address, { vendorClass: true });
  echoRelayAgentInfo(reply, req);
  if (req.giaddr !== ZERO_IP) ctx.relayed?.note(c.mac);
  return { kind: 'reply', reply, replyType: type, to, note };
}
