/**
 * Which Server a booting machine is. Its name is the SMBIOS UUID in lowercase, as in Sidero. Cheap boards
 * often report no UUID, all zeros, all Fs, or a vendor placeholder, or share one UUID across a batch: such
 * a UUID is not trusted and the machine is known by the MAC of its first NIC instead (and the events say
 * why). A UUID is also not trusted when the Server of that name was seen with other MACs only: that is a
 * second machine sharing the UUID.
 */
import type { Server } from '../api/index.js';
import type { BootFacts } from './facts.js';
import { serverMacs } from './hardware.js';

/** UUIDs known to be placeholders shared by many boards. */
export const PLACEHOLDER_UUIDS: ReadonlySet<string> = new Set([
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  // AMI BIOS default, found on many Supermicro and white-box boards.
  '03000200-0400-0500-0006-000700080009',
  '12345678-1234-5678-90ab-cddeefaabbcc',
]);

export interface Identity {
  /** The Server's name. */
  name: string;
  /** True when the machine is known by its MAC. */
  byMac: boolean;
  /** Why the UUID was not used (when byMac). */
  reason?: string;
}

/** `52:54:00:ab:cd:ef` to the Server name `52-54-00-ab-cd-ef`. */
export function macServerName(mac: string): string {
  return mac.toLowerCase().replaceAll(':', '-');
}

/**
 * The Server name for these facts. `lookup` reads a Server by name (the store's in-memory get): one
 * lookup, never a scan.
 */
export function identify(f: BootFacts, lookup: (name: string) => Server | undefined): Identity {
  const byMac = (reason: string): Identity => ({ name: macServerName(f.macs[0] ?? f.mac), byMac: true, reason });
  if (!f.uuid) return byMac('no usable SMBIOS UUID was reported');
  if (PLACEHOLDER_UUIDS.has(f.uuid)) return byMac(`UUID ${f.uuid} is a placeholder value shared by many boards`);
  const known = lookup(f.uuid);
  const macs = serverMacs(known?.spec?.hardware);
  if (known && macs.length > 0 && !f.macs.some((m) => macs.includes(m))) {
    return byMac(`UUID ${f.uuid} already belongs to the server with MAC ${macs[0]}; this machine (${f.mac}) reports the same UUID`);
  }
  return { name: f.uuid, byMac: false };
}
