/**
 * Wake-on-LAN: the magic packet (six 0xFF bytes, then the MAC sixteen times: 102 bytes) sent over UDP from
 * the provisioning interface's address to its subnet's broadcast address, and to an extra address if the
 * server names one (a directed broadcast through a router, or a relay). On only: a magic packet cannot
 * switch a machine off or tell whether it is on.
 */
import { createSocket } from 'node:dgram';
import { networkInterfaces } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { MetalboxError } from '../util/errors.js';
import { POWER_ERROR_CODES, unreachable, unsupported } from './errors.js';
import { NO_CAPABILITIES, type PowerDriver, type PowerState } from './types.js';

/** `aa:bb:cc:dd:ee:ff`, `aa-bb-…` or `aabbccddeeff` → six bytes; undefined when it is not a MAC. */
export function parseMac(mac: string): Buffer | undefined {
  const hex = mac.trim().replace(/[:.-]/g, '');
  return /^[0-9a-fA-F]{12}$/.test(hex) ? Buffer.from(hex, 'hex') : undefined;
}

export function magicPacket(mac: string): Buffer {
  const m = parseMac(mac);
  if (!m) throw new MetalboxError(POWER_ERROR_CODES.config, `not a MAC address: ${JSON.stringify(mac)}`, { hint: 'write it as aa:bb:cc:dd:ee:ff' });
  return Buffer.concat([Buffer.alloc(6, 0xff), ...Array.from({ length: 16 }, () => m)]);
}

/** The broadcast address of `address` under `netmask` (dotted quads). */
export function broadcastAddress(address: string, netmask: string): string {
  const a = address.split('.').map(Number);
  const m = netmask.split('.').map(Number);
  return a.map((o, i) => (o | (~m[i]! & 0xff)) & 0xff).join('.');
}

export interface ProvisioningAddress {
  address: string;
  broadcast: string;
}

/**
 * The provisioning interface's IPv4 address and broadcast: by interface name, else the interface that
 * holds `address`.
 */
export function provisioningAddress(iface: string, address: string, nics = networkInterfaces()): ProvisioningAddress {
  for (const [name, addrs] of Object.entries(nics)) {
    for (const a of addrs ?? []) {
      if (a.family !== 'IPv4') continue;
      if ((iface && name === iface) || (!iface && address && a.address === address)) {
        return { address: a.address, broadcast: broadcastAddress(a.address, a.netmask) };
      }
    }
  }
  throw new MetalboxError(
    POWER_ERROR_CODES.config,
    iface ? `the provisioning interface ${iface} has no IPv4 address` : `no interface holds the address ${address || '(none set)'}`,
    { hint: 'set interface (or address) in metalbox.yaml to the NIC on the servers\' network; Wake-on-LAN is sent from there' },
  );
}

export interface WolDriverOptions {
  mac: string;
  /** Where the packet leaves from (the provisioning interface's address) and its subnet broadcast. */
  from: ProvisioningAddress;
  /** An extra destination, e.g. a directed broadcast of another subnet. */
  extraAddress?: string;
  /** UDP port, 9 (discard) by default. */
  port?: number;
  /** Copies sent to each destination (UDP may drop one). */
  copies?: number;
}

export class WolDriver implements PowerDriver {
  readonly name = 'wol' as const;
  readonly target: string;
  readonly capabilities = { ...NO_CAPABILITIES, on: true };
  private readonly packet: Buffer;

  constructor(private readonly opts: WolDriverOptions) {
    this.packet = magicPacket(opts.mac);
    this.target = `Wake-on-LAN to ${opts.mac.toLowerCase()} via ${opts.from.broadcast}`;
  }

  async status(): Promise<PowerState> {
    return 'unknown';
  }

  async on(): Promise<void> {
    const port = this.opts.port ?? 9;
    const to = [this.opts.from.broadcast, ...(this.opts.extraAddress ? [this.opts.extraAddress] : [])];
    const sock = createSocket('udp4');
    try {
      await new Promise<void>((resolve, reject) => {
        sock.once('error', reject);
        sock.bind(0, this.opts.from.address, () => resolve());
      });
      sock.setBroadcast(true);
      for (let i = 0; i < (this.opts.copies ?? 3); i++) {
        if (i > 0) await sleep(50);
        for (const addr of to) {
          await new Promise<void>((resolve, reject) => sock.send(this.packet, port, addr, (e) => (e ? reject(e) : resolve())));
        }
      }
    } catch (e) {
      throw unreachable(this.target, `cannot send from ${this.opts.from.address}: ${(e as Error).message}`, e);
    } finally {
      sock.close();
    }
  }

  off(): Promise<void> {
    return Promise.reject(this.cannot('power off'));
  }
  cycle(): Promise<void> {
    return Promise.reject(this.cannot('power cycle'));
  }
  soft(): Promise<void> {
    return Promise.reject(this.cannot('shut down'));
  }
  setBootDevice(): Promise<void> {
    return Promise.reject(this.cannot('choose the boot device'));
  }
  async close(): Promise<void> {}

  private cannot(what: string): MetalboxError {
    return unsupported(this.target, what, 'Wake-on-LAN only switches a machine on; do the rest at the machine, or give it a BMC');
  }
}
