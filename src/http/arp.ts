/**
 * The kernel's IPv4 neighbour table (`/proc/net/arp`): which MAC an address on a local segment has.
 * Used to tie a `/configdata` request to the Server's MAC where the kernel knows it; a requester beyond a
 * router (or with no entry yet) is simply unknown here.
 */
import { readFileSync } from 'node:fs';

/** Entries with the "complete" flag (0x2): address -> lowercase MAC. */
export function parseArpTable(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 4) continue;
    const [ip, , flags, mac] = cols as [string, string, string, string];
    if ((parseInt(flags, 16) & 0x2) === 0 || mac === '00:00:00:00:00:00') continue;
    out.set(ip, mac.toLowerCase());
  }
  return out;
}

/** A lookup over the live table, read fresh on each call (it is small and the calls are rare). */
export function arpLookup(path = '/proc/net/arp'): (address: string) => string | undefined {
  return (address) => {
    try {
      return parseArpTable(readFileSync(path, 'utf8')).get(address);
    } catch {
      return undefined;
    }
  };
}
