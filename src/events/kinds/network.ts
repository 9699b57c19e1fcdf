import type { Formatters, Subject } from './common.js';

export type DhcpMessageName = 'DISCOVER' | 'OFFER' | 'REQUEST' | 'DECLINE' | 'ACK' | 'NAK' | 'RELEASE' | 'INFORM';

export type NetworkEvent =
  /** One DHCP exchange: what the client sent and what we answered (reply absent: ignored). */
  | (Subject & {
      type: 'dhcp.exchange';
      mac: string;
      request: DhcpMessageName;
      reply?: DhcpMessageName;
      mode: 'proxy' | 'full';
      port: number;
      address?: string;
      bootFile?: string;
      arch?: number;
      reason?: string;
    })
  /** A packet we could not decode or must not answer; counted and dropped. */
  | { type: 'dhcp.dropped'; from: string; reason: string }
  | (Subject & {
      type: 'tftp.transfer';
      peer: string;
      file: string;
      phase: 'start' | 'progress' | 'done' | 'error';
      bytes: number;
      total?: number;
      error?: string;
    })
  | { type: 'tftp.dropped'; from: string; reason: string };

export const networkFormatters: Formatters<NetworkEvent> = {
  'dhcp.exchange': (e) =>
    `DHCP ${e.request}${e.reply ? ` -> ${e.reply}` : ' (ignored)'} ${e.mac}` +
    `${e.address ? ` ${e.address}` : ''}${e.bootFile ? ` boot ${e.bootFile}` : ''}` +
    `${e.reason ? ` (${e.reason})` : ''}`,
  'dhcp.dropped': (e) => `DHCP dropped packet from ${e.from}: ${e.reason}`,
  'tftp.transfer': (e) => {
    if (e.phase === 'error') return `TFTP ${e.file} to ${e.peer} failed: ${e.error ?? 'unknown error'}`;
    const size = e.total ? ` ${e.bytes}/${e.total} bytes` : ` ${e.bytes} bytes`;
    return `TFTP ${e.file} to ${e.peer} ${e.phase}${e.phase === 'start' ? '' : size}`;
  },
  'tftp.dropped': (e) => `TFTP dropped packet from ${e.from}: ${e.reason}`,
};
