/**
 * DHCP full mode: 500 distinct MACs each completing DISCOVER, OFFER, REQUEST, ACK at once (and spread over
 * one second), Metalbox vs dnsmasq 2.90, the same client on two identical lab segments, rounds alternating
 * in the same run, each round against a freshly started server with an empty lease file.
 * Reports lost handshakes, retransmissions, p50/p99 handshake latency. Needs root, namespaces, dnsmasq.
 *
 *   npx tsx bench/dhcp/dhcp.bench.ts [rounds=5] [clients=500]
 *
 * dnsmasq runs with --no-ping (Metalbox does not ping either; dnsmasq's ping check would add up to
 * seconds per new address) and writes its lease file without fsync, while Metalbox fsyncs its lease
 * file before every ACK (group commit).
 */
import { join } from 'node:path';
import { startDnsmasqDhcp } from '../../test/lab/dnsmasq.js';
import { Lab } from '../../test/lab/lab.js';
import { startNode } from '../../test/lab/node.js';
import { run as sh } from '../../test/lab/sh.js';
import { missing } from '../../test/support/needs.js';

/** UDP receive-buffer overflows in a namespace (kernel drops before any program sees the datagram). */
async function rcvbufErrors(ns: string): Promise<number> {
  const { stdout } = await sh('ip', ['netns', 'exec', ns, 'cat', '/proc/net/snmp']);
  const [head, values] = stdout.split('\n').filter((l) => l.startsWith('Udp:'));
  const i = head!.split(/\s+/).indexOf('RcvbufErrors');
  return Number(values!.split(/\s+/)[i]);
}

const rounds = Number(process.argv[2] ?? 5);
const CLIENTS = Number(process.argv[3] ?? 500);

interface Result {
  completed: number;
  lost: number;
  retransmits: number;
  naks: number;
  distinctAddresses: number;
  totalMs: number;
  p50: number;
  p99: number;
  max: number;
  serverDrops?: number;
  clientDrops?: number;
  offerP50: number;
  offerP99: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

type Who = 'ours' | 'dnsmasq';

async function main(): Promise<void> {
  const why = missing('root', 'netns', 'bin:dnsmasq');
  if (why) {
    console.log(`skipped: ${why}`);
    return;
  }
  const lab = await Lab.create('benchdhcp');
  try {
    const net = await network(lab);
    for (const spreadMs of [0, 1000]) {
      const results: Record<Who, Result[]> = { ours: [], dnsmasq: [] };
      for (let i = 0; i < rounds; i++) {
        const order: Who[] = i % 2 === 0 ? ['ours', 'dnsmasq'] : ['dnsmasq', 'ours'];
        for (const who of order) results[who].push(await net.round(who, `${spreadMs}-${i}`, spreadMs));
        const line = (x: Result) =>
          `offer p50 ${x.offerP50.toFixed(0)} p99 ${x.offerP99.toFixed(0)}, ack p50 ${x.p50.toFixed(1)} p99 ${x.p99.toFixed(1)} ms, lost ${x.lost}, retx ${x.retransmits}, kernel drops server ${x.serverDrops} client ${x.clientDrops}`;
        console.log(`spread ${spreadMs} ms, round ${i + 1}: ours ${line(results.ours.at(-1)!)}; dnsmasq ${line(results.dnsmasq.at(-1)!)}`);
      }
      report(results, spreadMs);
    }
  } finally {
    await lab.cleanup();
  }
}

/**
 * Metalbox on one segment, dnsmasq on another (both answer broadcasts), the same client program on each.
 * `round` starts the server fresh (empty lease file), runs the handshakes, and stops it.
 */
async function network(lab: Lab) {
  const a = await lab.segment('ours');
  const b = await lab.segment('theirs');
  const hosts = {
    ours: { server: await lab.host('oursbox', a, '10.91.0.1/16'), client: await lab.host('clienta', a, '10.91.0.5/16') },
    dnsmasq: { server: await lab.host('dnsmasqbox', b, '10.92.0.1/16'), client: await lab.host('clientb', b, '10.92.0.5/16') },
  };
  await lab.defaultRoute(hosts.ours.client, '10.91.0.254');
  await lab.defaultRoute(hosts.dnsmasq.client, '10.92.0.254');
  const clients = { ours: await startNode(lab, hosts.ours.client, 'bench/dhcp/client.ts', {}), dnsmasq: await startNode(lab, hosts.dnsmasq.client, 'bench/dhcp/client.ts', {}) };
  const start = async (who: Who, tag: string): Promise<() => Promise<void>> => {
    if (who === 'dnsmasq') {
      const p = startDnsmasqDhcp(lab, hosts.dnsmasq.server, { range: '10.92.1.1,10.92.254.254', netmask: '255.255.0.0', noPing: true, logDhcp: false, leaseFile: join(lab.dir, `dnsmasq-${tag}.leases`), extra: ['--quiet-dhcp'] });
      await p.waitForOutput(/DHCP, IP range/, 10_000);
      return () => p.stop();
    }
    const child = await startNode(lab, hosts.ours.server, 'test/dhcp/support/netboot-host.ts', {
      cidr: '10.91.0.1/16',
      dataDir: join(lab.dir, `ours-${tag}`),
      probeWaitMs: 500,
      quiet: true,
      settings: { dhcp: { mode: 'full', range: '10.91.1.1-10.91.254.254', leaseTime: 3600 } },
    });
    return () => child.stop();
  };
  return {
    async round(who: Who, tag: string, spreadMs: number): Promise<Result> {
      const stop = await start(who, tag);
      try {
        await clients[who].call<Result>('run', { n: 20 }, 60_000); // warm up (JIT, ARP, caches)
        const before = [await rcvbufErrors(hosts[who].server.ns), await rcvbufErrors(hosts[who].client.ns)];
        const r = await clients[who].call<Result>('run', { n: CLIENTS, spreadMs }, 120_000);
        return { ...r, serverDrops: (await rcvbufErrors(hosts[who].server.ns)) - before[0]!, clientDrops: (await rcvbufErrors(hosts[who].client.ns)) - before[1]! };
      } finally {
        await stop();
      }
    },
  };
}

function report(r: Record<Who, Result[]>, spreadMs: number): void {
  const m = (who: Who, f: (x: Result) => number) => median(r[who].map(f));
  const sum = (who: Who, f: (x: Result) => number) => r[who].reduce((s, x) => s + f(x), 0);
  const when = spreadMs ? `spread over ${spreadMs} ms` : 'in one burst';
  console.log(`\n${CLIENTS} MACs ${when}, DISCOVER-OFFER-REQUEST-ACK, ${rounds} rounds, medians:`);
  console.log('| server | lost (all rounds) | retransmissions (all rounds) | kernel drops at the server (all rounds) | p50 | p99 | all done in |');
  console.log('|---|---|---|---|---|---|---|');
  for (const [who, name] of [['dnsmasq', 'dnsmasq 2.90 --no-ping'], ['ours', 'Metalbox full mode']] as const) {
    console.log(`| ${name} | ${sum(who, (x) => x.lost)} | ${sum(who, (x) => x.retransmits)} | ${sum(who, (x) => x.serverDrops ?? 0)} | ${m(who, (x) => x.p50).toFixed(1)} ms | ${m(who, (x) => x.p99).toFixed(1)} ms | ${m(who, (x) => x.totalMs).toFixed(0)} ms |`);
  }
  console.log(`\nratios Metalbox/dnsmasq: p50 ${(m('ours', (x) => x.p50) / m('dnsmasq', (x) => x.p50)).toFixed(2)}, p99 ${(m('ours', (x) => x.p99) / m('dnsmasq', (x) => x.p99)).toFixed(2)}`);
  console.log(`distinct addresses per round: ours ${r.ours.map((x) => x.distinctAddresses).join(',')}; dnsmasq ${r.dnsmasq.map((x) => x.distinctAddresses).join(',')}`);
}

await main();
