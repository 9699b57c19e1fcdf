/**
 * The lease file `dhcp-leases.json` in the data directory: written durably (temp file, fsync, rename)
 * before an ACK leaves, with group commit so that a burst of clients costs a few writes, not one each.
 */
import { readFile } from 'node:fs/promises';
import { isIPv4 } from 'node:net';
import { join } from 'node:path';
import { MetalboxError, errnoCode, errorMessage } from '../util/errors.js';
import { writeFileDurable } from '../util/durable.js';
import type { Lease } from './leases.js';

export const LEASE_FILE = 'dhcp-leases.json';

interface LeaseFileV1 {
  version: 1;
  leases: { mac: string; address: string; expires: string; hostname?: string }[];
}

export function leaseFilePath(dataDir: string): string {
  return join(dataDir, LEASE_FILE);
}

/** Read the lease file; a missing file is an empty table, an unreadable one is an error that loses nothing. */
export async function readLeaseFile(path: string): Promise<Lease[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return [];
    throw new MetalboxError('DHCP_LEASES_UNREADABLE', `cannot read the DHCP lease file ${path}: ${errorMessage(e)}`, {
      hint: 'check its permissions; full mode does not start without its leases, so no address is handed out twice',
      cause: e,
    });
  }
  const leases = parseLeaseFile(text);
  if (typeof leases === 'string') {
    throw new MetalboxError('DHCP_LEASES_CORRUPT', `the DHCP lease file ${path} is damaged: ${leases}`, {
      hint: `move it aside (mv ${path} ${path}.bad) to start with an empty lease table; clients renew within a lease time`,
    });
  }
  return leases;
}

/** Parse the file's text: the leases, or what is wrong. */
export function parseLeaseFile(text: string): Lease[] | string {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return `not JSON (${errorMessage(e)})`;
  }
  const file = doc as Partial<LeaseFileV1>;
  if (!file || typeof file !== 'object' || file.version !== 1 || !Array.isArray(file.leases)) {
    return 'expected {"version": 1, "leases": [...]}';
  }
  const out: Lease[] = [];
  for (const [i, l] of file.leases.entries()) {
    const expires = Date.parse(l?.expires ?? '');
    if (typeof l?.mac !== 'string' || !/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(l.mac)) return `lease ${i}: bad mac`;
    if (typeof l.address !== 'string' || !isIPv4(l.address)) return `lease ${i}: bad address`;
    if (Number.isNaN(expires)) return `lease ${i}: bad expires`;
    const lease: Lease = { mac: l.mac.toLowerCase(), address: l.address, expires };
    if (typeof l.hostname === 'string' && l.hostname) lease.hostname = l.hostname;
    out.push(lease);
  }
  return out;
}

export function formatLeaseFile(leases: readonly Lease[]): string {
  const doc: LeaseFileV1 = {
    version: 1,
    leases: leases.map((l) => ({
      mac: l.mac,
      address: l.address,
      expires: new Date(l.expires).toISOString(),
      ...(l.hostname ? { hostname: l.hostname } : {}),
    })),
  };
  return `${JSON.stringify(doc, null, 1)}\n`;
}

/**
 * Group commit: `save()` resolves once a write that started after the call has reached the disk. While a
 * write is in flight, later calls share the next one.
 */
export class LeaseWriter {
  private inFlight: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  writes = 0;

  constructor(
    private readonly path: string,
    private readonly snapshot: () => readonly Lease[],
  ) {}

  save(): Promise<void> {
    if (!this.inFlight) return this.startWrite();
    this.next ??= this.inFlight.then(
      () => this.startWrite(),
      () => this.startWrite(),
    );
    return this.next;
  }

  private startWrite(): Promise<void> {
    this.next = undefined;
    const text = formatLeaseFile(this.snapshot());
    this.writes++;
    const p = writeFileDurable(this.path, text).finally(() => {
      if (this.inFlight === p) this.inFlight = undefined;
    });
    this.inFlight = p;
    return p;
  }

  /** Wait for every pending write. */
  async flush(): Promise<void> {
    while (this.inFlight || this.next) await (this.next ?? this.inFlight)?.catch(() => undefined);
  }
}
