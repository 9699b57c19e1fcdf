/**
 * Read-only TFTP for the iPXE binaries (RFC 1350, 2347, 2348, 2349, 7440) and the discovery of those
 * binaries. Other rooms import only from here.
 */
export { createTftpService, MAX_WINDOWSIZE, type TftpService, type TftpServiceOptions } from './service.js';
export type { TftpStats } from './stats.js';
export { findIpxeBinaries, installationRoot, IPXE_CANDIDATES, type IpxeBinaries } from './ipxe-binaries.js';
export {
  decodeTftp,
  encodeAck,
  encodeData,
  encodeError,
  encodeOack,
  encodeRequest,
  OP as TFTP_OP,
  TFTP_ERROR,
  type TftpPacket,
  type TftpDecodeResult,
} from './codec.js';
export { negotiate, toNetascii, BLKSIZE_MIN, BLKSIZE_MAX, type Negotiated, type TransferLimits } from './negotiate.js';
