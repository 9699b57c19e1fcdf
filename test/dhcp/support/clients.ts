/**
 * Real DHCP clients in a lab namespace: busybox udhcpc and ISC dhclient, each with a hook script that
 * configures the address (so renewals can unicast) and appends one line per event to a log we can read.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Host, Lab, LabProcess } from '../../lab/lab.js';
import { run, waitUntil } from '../../lab/sh.js';

export interface ClientEvent {
  reason: string;
  ip: string;
  serverId: string;
}

export interface DhcpClient {
  proc: LabProcess;
  /** Events the hook script saw, oldest first. */
  events(): ClientEvent[];
  waitFor(reason: RegExp, count: number, timeoutMs: number): Promise<ClientEvent>;
}

function reader(log: string): () => ClientEvent[] {
  return () => {
    let text = '';
    try {
      text = readFileSync(log, 'utf8');
    } catch {
      return [];
    }
    return text
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [reason = '', ip = '', serverId = ''] = l.split(' ');
        return { reason, ip, serverId };
      });
  };
}

function client(proc: LabProcess, log: string): DhcpClient {
  const events = reader(log);
  return {
    proc,
    events,
    waitFor: (reason, count, timeoutMs) =>
      waitUntil(() => events().filter((e) => reason.test(e.reason))[count - 1], timeoutMs, `client event ${reason} #${count}`).catch((e: Error) => {
        throw new Error(`${e.message}\nevents: ${JSON.stringify(events())}\n${proc.output()}`);
      }),
  };
}

/** busybox udhcpc on eth0 of `host`. SIGUSR1 renews, SIGUSR2 releases. */
export function startUdhcpc(lab: Lab, host: Host, extra: string[] = []): DhcpClient {
  const log = join(lab.dir, `udhcpc-${host.label}.log`);
  const script = join(lab.dir, `udhcpc-${host.label}.sh`);
  writeFileSync(
    script,
    `#!/bin/sh
echo "$1 \${ip:-none} \${serverid:-none}" >> ${log}
case "$1" in
  bound|renew) ip addr flush dev "$interface"; ip addr add "$ip/$subnet" dev "$interface" ;;
  deconfig) ip addr flush dev "$interface" ;;
esac
exit 0
`,
  );
  chmodSync(script, 0o755);
  const proc = lab.spawn(`udhcpc-${host.label}`, host, 'udhcpc', ['-i', 'eth0', '-f', '-s', script, '-t', '10', '-T', '1', '-A', '2', ...extra]);
  return client(proc, log);
}

/** ISC dhclient on eth0 of `host`, in the foreground; `releaseDhclient` sends its RELEASE. */
export function startDhclient(lab: Lab, host: Host): DhcpClient & { release(): Promise<void> } {
  const base = join(lab.dir, `dhclient-${host.label}`);
  const log = `${base}.log`;
  const script = `${base}.sh`;
  writeFileSync(
    script,
    `#!/bin/sh
echo "$reason \${new_ip_address:-\${old_ip_address:-none}} \${new_dhcp_server_identifier:-none}" >> ${log}
case "$reason" in
  PREINIT) ip link set "$interface" up ;;
  BOUND|RENEW|REBIND|REBOOT) ip addr flush dev "$interface"; ip addr add "$new_ip_address/$new_subnet_mask" dev "$interface" ;;
  EXPIRE|FAIL|RELEASE|STOP) ip addr flush dev "$interface" ;;
esac
exit 0
`,
  );
  chmodSync(script, 0o755);
  const files = ['-lf', `${base}.leases`, '-pf', `${base}.pid`, '-sf', script];
  const proc = lab.spawn(`dhclient-${host.label}`, host, 'dhclient', ['-d', '-v', '-4', ...files, 'eth0']);
  return {
    ...client(proc, log),
    async release() {
      await run('ip', ['netns', 'exec', host.ns, 'dhclient', '-r', '-v', ...files, 'eth0'], { timeoutMs: 20_000 });
    },
  };
}
