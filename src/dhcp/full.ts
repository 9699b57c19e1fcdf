/**
 * Full mode: authoritative DHCP for a configured range on an isolated provisioning network.
 * DISCOVER -> OFFER, REQUEST -> ACK or NAK, DECLINE and RELEASE update the table, INFORM -> ACK without a
 * lease. Network-boot clients also get their boot file; other clients just get an address.
 */
import type { DhcpMessageName } from '../events/index.js';
import { chooseBootFile } from './boot-file.js';
import { BOOTREQUEST, type DhcpPacket } from './codec.js';
import { type BootContext, type ClientFacts, type Decision, bootQuery, clientFacts, noteFor } from './exchange.js';
import type { LeaseTable } from './leases.js';
import { OPT, getIp, getString, ipBytes, u32Bytes } from './options.js';
import {
  type DhcpPorts,
  type Peer,
  addBootFile,
  baseReply,
  echoRelayAgentInfo,
  fromAnotherNetwork,
  markBroadcastForRelay,
  replyDestination,
} from './replies.js';
import { inSubnet, type SubnetInfo, ZERO_IP } from './subnet.js';

export interface FullContext extends BootContext {
  subnet: SubnetInfo;
  ports: DhcpPorts;
  leases: LeaseTable;
  /** Lease time in seconds. */
  leaseTime: number;
  router: string;
  dns: readonly string[];
}

export function answerFull(req: DhcpPacket, from: Peer, ctx: FullContext): Decision {
  if (req.op !== BOOTREQUEST) return { kind: 'drop', reason: 'not a BOOTREQUEST' };
  const c = clientFacts(req);
  if (!c.type) return { kind: 'ignore', note: { ...noteFor(c), reason: 'plain BOOTP is not served' }, quiet: true };
  const elsewhere = fromAnotherNetwork(req, from, ctx.subnet);
  if (elsewhere) return { kind: 'drop', reason: elsewhere };
  const relay = relayElsewhere(req, ctx.subnet);
  if (relay) return { kind: 'ignore', note: { ...noteFor(c), reason: relay }, quiet: false };
  switch (c.type) {
    case 'DISCOVER':
      return discover(req, c, ctx);
    case 'REQUEST':
      return request(req, c, ctx);
    case 'DECLINE':
      return decline(req, c, ctx);
    case 'RELEASE':
      return release(req, c, ctx);
    case 'INFORM':
      return reply(req, c, 'INFORM', ZERO_IP, ctx);
    default:
      return { kind: 'ignore', note: { ...noteFor(c), reason: `${c.type} is not a client message` }, quiet: true };
  }
}

/**
 * Full mode hands out addresses of the provisioning subnet only: a relay on another network would pass
 * them to clients that cannot use them (wrong subnet, unreachable router). dnsmasq does the same when no
 * range matches the relay's address.
 */
function relayElsewhere(req: DhcpPacket, subnet: SubnetInfo): string | undefined {
  if (req.giaddr === ZERO_IP || inSubnet(req.giaddr, subnet)) return undefined;
  return `relayed by ${req.giaddr}, which is not on the provisioning network ${subnet.network}/${subnet.prefix}: full mode has no addresses for that network`;
}

function discover(req: DhcpPacket, c: ClientFacts, ctx: FullContext): Decision {
  const address = ctx.leases.chooseAddress(c.mac, getIp(req, OPT.requestedAddress));
  if (!address) return { kind: 'ignore', note: { ...noteFor(c), reason: 'no free address in the range' }, quiet: false };
  ctx.leases.hold(c.mac, address);
  return reply(req, c, 'OFFER', address, ctx);
}

function request(req: DhcpPacket, c: ClientFacts, ctx: FullContext): Decision {
  const server = getIp(req, OPT.serverId);
  const requested = getIp(req, OPT.requestedAddress);
  if (server !== undefined && server !== ctx.address) {
    ctx.leases.dropOffer(c.mac);
    return { kind: 'ignore', note: { ...noteFor(c), reason: `client chose server ${server}` }, quiet: true };
  }
  const wanted = requested ?? (req.ciaddr !== ZERO_IP ? req.ciaddr : undefined);
  if (!wanted) return { kind: 'drop', reason: `REQUEST from ${c.mac} names no address` };
  if (!inSubnet(wanted, ctx.subnet)) return nak(req, c, `${wanted} is not on this network`, ctx);
  const grant = ctx.leases.canGrant(c.mac, wanted);
  if (!grant.ok) return nak(req, c, grant.reason, ctx);
  return reply(req, c, 'ACK', wanted, ctx);
}

function decline(req: DhcpPacket, c: ClientFacts, ctx: FullContext): Decision {
  const address = getIp(req, OPT.requestedAddress) ?? ZERO_IP;
  const ours = !forOtherServer(req, ctx) && ctx.leases.decline(c.mac, address);
  const note = { ...noteFor(c), address, reason: ours ? 'address in use by another host' : 'not our lease' };
  return { kind: 'ignore', note, quiet: false, commit: ours };
}

function release(req: DhcpPacket, c: ClientFacts, ctx: FullContext): Decision {
  const ours = !forOtherServer(req, ctx) && ctx.leases.release(c.mac, req.ciaddr);
  const note = { ...noteFor(c), address: req.ciaddr, reason: ours ? 'released' : 'not our lease' };
  return { kind: 'ignore', note, quiet: false, commit: ours };
}

function forOtherServer(req: DhcpPacket, ctx: FullContext): boolean {
  const server = getIp(req, OPT.serverId);
  return server !== undefined && server !== ctx.address;
}

/** OFFER, ACK (with a committed lease) or the ACK to an INFORM (no lease, no address). */
function reply(req: DhcpPacket, c: ClientFacts, kind: 'OFFER' | 'ACK' | 'INFORM', address: string, ctx: FullContext): Decision {
  const type: DhcpMessageName = kind === 'OFFER' ? 'OFFER' : 'ACK';
  const r = baseReply(req, type, ctx.address);
  const reservation = ctx.leases.reservationOf(c.mac);
  const hostname = reservation?.hostname || getString(req, OPT.hostname);
  if (kind === 'INFORM') r.ciaddr = req.ciaddr;
  else {
    r.yiaddr = address;
    if (req.ciaddr !== ZERO_IP) r.ciaddr = req.ciaddr;
    r.options.set(OPT.leaseTime, u32Bytes(ctx.leaseTime));
    r.options.set(OPT.renewalTime, u32Bytes(Math.floor(ctx.leaseTime / 2)));
    r.options.set(OPT.rebindingTime, u32Bytes(Math.floor((ctx.leaseTime * 7) / 8)));
  }
  r.options.set(OPT.subnetMask, ipBytes(ctx.subnet.netmask));
  r.options.set(OPT.broadcast, ipBytes(ctx.subnet.broadcast));
  if (ctx.router) r.options.set(OPT.router, ipBytes(ctx.router));
  if (ctx.dns.length > 0) r.options.set(OPT.dns, ipBytes(...ctx.dns));
  if (reservation?.hostname) r.options.set(OPT.hostname, Buffer.from(reservation.hostname, 'latin1'));
  const note = noteFor(c);
  if (c.netboot) {
    const choice = chooseBootFile(bootQuery(c, ctx));
    Object.assign(note, noteFor(c, choice));
    if (choice.answer) addBootFile(r, req, choice, ctx.address, { vendorClass: false });
  }
  echoRelayAgentInfo(r, req);
  if (kind !== 'INFORM') note.address = address;
  let commit = false;
  if (kind === 'ACK') {
    ctx.leases.commit(c.mac, address, ctx.leaseTime, hostname);
    commit = true;
  }
  return { kind: 'reply', reply: r, replyType: type, to: destination(req, ctx, kind === 'INFORM'), note, commit };
}

function destination(req: DhcpPacket, ctx: FullContext, inform: boolean): Peer {
  // An INFORM's answer goes to its ciaddr even when the broadcast bit is set (RFC 2131 4.3.5).
  return inform && req.giaddr === ZERO_IP && req.ciaddr !== ZERO_IP
    ? { address: req.ciaddr, port: ctx.ports.client }
    : replyDestination(req, ctx.ports);
}

function nak(req: DhcpPacket, c: ClientFacts, reason: string, ctx: FullContext): Decision {
  ctx.leases.dropOffer(c.mac);
  const r = baseReply(req, 'NAK', ctx.address);
  r.options.set(OPT.message, Buffer.from(reason, 'latin1'));
  markBroadcastForRelay(r);
  echoRelayAgentInfo(r, req);
  return { kind: 'reply', reply: r, replyType: 'NAK', to: replyDestination(req, ctx.ports, true), note: { ...noteFor(c), reason } };
}
