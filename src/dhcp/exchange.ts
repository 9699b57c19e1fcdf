/**
 * What a DHCP policy (proxy or full mode) decides for one request: the shared vocabulary of the policies
 * and the socket layer.
 */
import type { DhcpMessageName } from '../events/index.js';
import type { BootFileChoice, IpxePreference } from './boot-file.js';
import { clientMac, type DhcpPacket } from './codec.js';
import { OPT, clientArchitectures, getString, messageType, userClasses } from './options.js';
import type { Peer } from './replies.js';

/** Which socket a request arrived on: the DHCP server port (67) or the PXE boot server port (4011). */
export type DhcpPortKind = 'dhcp' | 'pxe';

/** What the event for an exchange says, besides mode and port. */
export interface ExchangeNote {
  mac: string;
  request: DhcpMessageName;
  address?: string;
  bootFile?: string;
  arch?: number;
  reason?: string;
}

export type Decision =
  /** Send `reply` to `to`; `commit` means the lease table changed and must be on disk first. */
  | { kind: 'reply'; reply: DhcpPacket; replyType: DhcpMessageName; to: Peer; note: ExchangeNote; commit?: boolean }
  /** A valid request we do not answer; `quiet` ones (not for us, not a boot client) raise no event. */
  | { kind: 'ignore'; note: ExchangeNote; quiet: boolean; commit?: boolean }
  /** A request we must not answer (another network, not a request): counted as dropped. */
  | { kind: 'drop'; reason: string };

/** The client facts every policy reads. */
export interface ClientFacts {
  mac: string;
  type: DhcpMessageName | undefined;
  arch: number | undefined;
  userClasses: string[];
  vendorClass: string | undefined;
  /** Vendor class PXEClient or HTTPClient, or user class iPXE: a network-boot client. */
  netboot: boolean;
}

export function clientFacts(p: DhcpPacket): ClientFacts {
  const vendorClass = getString(p, OPT.vendorClass);
  const classes = userClasses(p);
  const netboot =
    (vendorClass ?? '').startsWith('PXEClient') || (vendorClass ?? '').startsWith('HTTPClient') || classes.includes('iPXE');
  return { mac: clientMac(p), type: messageType(p), arch: clientArchitectures(p)?.[0], userClasses: classes, vendorClass, netboot };
}

/** Settings every policy needs to choose a boot file. */
export interface BootContext {
  /** The address advertised to clients (TFTP and HTTP server). */
  address: string;
  httpPort: number;
  ipxeBinaries: ReadonlySet<string>;
  bootPreference?: ((mac: string) => IpxePreference | undefined) | undefined;
}

export function bootQuery(c: ClientFacts, ctx: BootContext) {
  return {
    arch: c.arch,
    userClasses: c.userClasses,
    vendorClass: c.vendorClass,
    preference: ctx.bootPreference?.(c.mac),
    address: ctx.address,
    httpPort: ctx.httpPort,
    available: ctx.ipxeBinaries,
  };
}

export function noteFor(c: ClientFacts, choice?: BootFileChoice): ExchangeNote {
  const note: ExchangeNote = { mac: c.mac, request: c.type ?? 'DISCOVER' };
  if (c.arch !== undefined) note.arch = c.arch;
  if (choice?.answer) note.bootFile = choice.bootFile;
  else if (choice) note.reason = choice.reason;
  return note;
}
