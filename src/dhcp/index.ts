/**
 * DHCP for network boot: proxy mode (beside an existing DHCP server), full mode (an isolated provisioning
 * network, with leases) and the pure pieces behind them (codec, boot-file choice, interface detection).
 *
 * Other rooms import only from here.
 */
export { createDhcpService, type DhcpService, type DhcpServiceOptions } from './service.js';
export type { DhcpStats } from './stats.js';
export {
  chooseBootFile,
  architectureName,
  ipxeScriptUrl,
  httpBinaryUrl,
  IPXE_BINARY,
  type BootFileQuery,
  type BootFileChoice,
  type IpxePreference,
  type IpxeBinaryName,
} from './boot-file.js';
export {
  listIpv4Interfaces,
  pickProvisioningInterface,
  parseDefaultRoutes,
  type Ipv4Interface,
  type InterfaceChoice,
} from './interfaces.js';
export { subnetOf, parseCidr, inSubnet, ipToInt, intToIp, type SubnetInfo } from './subnet.js';
export {
  decodePacket,
  encodePacket,
  clientMac,
  chaddrFromMac,
  BOOTREQUEST,
  BOOTREPLY,
  FLAG_BROADCAST,
  type DhcpPacket,
  type DhcpOptions,
  type DecodeResult,
} from './codec.js';
export {
  OPT,
  messageType,
  setMessageType,
  getIp,
  getString,
  ipBytes,
  clientArchitectures,
  userClasses,
  parameterRequestList,
  decodeSubOptions,
} from './options.js';
export { LEASE_FILE } from './lease-file.js';
export { offModeInstructions, type OffModeTarget } from './instructions.js';
