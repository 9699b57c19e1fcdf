/**
 * dnsmasq as a lab peer: a plain DHCP server (the "home router", no boot options at all), or a TFTP
 * server for benchmarks. DNS is off (`--port=0`); it runs in the foreground and is stopped at cleanup.
 */
import { join } from 'node:path';
import type { Host, Lab } from './lab.js';
import type { LabProcess } from './process.js';

export interface DnsmasqDhcpOptions {
  /** `start,end` of the pool, e.g. `10.77.0.100,10.77.0.150`. */
  range: string;
  netmask?: string;
  /** Lease time as dnsmasq writes it (`1h`, `2m`); default 1h. */
  leaseTime?: string;
  /** Interface inside the host's namespace (default eth0). */
  iface?: string;
  /** Skip the ICMP ping before an offer (dnsmasq waits for it otherwise). */
  noPing?: boolean;
  /** Log every DHCP exchange (default true). */
  logDhcp?: boolean;
  /** Lease file (default: one per host in the lab folder, kept across restarts). */
  leaseFile?: string;
  extra?: string[];
}

/** dnsmasq handing out addresses only. Wait for it with `await p.waitForOutput(/started/, ...)`. */
export function startDnsmasqDhcp(lab: Lab, host: Host, o: DnsmasqDhcpOptions): LabProcess {
  const name = `dnsmasq-dhcp-${host.label}`;
  const args = [
    ...common(lab, name),
    `--interface=${o.iface ?? 'eth0'}`,
    '--bind-interfaces',
    `--dhcp-range=${o.range},${o.netmask ?? '255.255.255.0'},${o.leaseTime ?? '1h'}`,
    `--dhcp-leasefile=${o.leaseFile ?? join(lab.dir, `${name}.leases`)}`,
    '--dhcp-authoritative',
    `--dhcp-lease-max=${10000}`,
    ...(o.noPing ? ['--no-ping'] : []),
    ...(o.logDhcp === false ? [] : ['--log-dhcp']),
    ...(o.extra ?? []),
  ];
  return lab.spawn(name, host, 'dnsmasq', args);
}

export interface DnsmasqTftpOptions {
  /** Folder served. */
  root: string;
  iface?: string;
  extra?: string[];
}

/** dnsmasq as a TFTP server only (port 69 in the host's namespace). */
export function startDnsmasqTftp(lab: Lab, host: Host, o: DnsmasqTftpOptions): LabProcess {
  const name = `dnsmasq-tftp-${host.label}`;
  const args = [
    ...common(lab, name),
    `--interface=${o.iface ?? 'eth0'}`,
    '--bind-interfaces',
    '--enable-tftp',
    `--tftp-root=${o.root}`,
    '--tftp-max=1000',
    ...(o.extra ?? []),
  ];
  return lab.spawn(name, host, 'dnsmasq', args);
}

function common(lab: Lab, name: string): string[] {
  return [
    '--keep-in-foreground',
    '--log-facility=-',
    '--port=0',
    '--conf-file=/dev/null',
    '--no-resolv',
    '--no-hosts',
    `--pid-file=${join(lab.dir, `${name}.pid`)}`,
    '--user=root',
  ];
}
