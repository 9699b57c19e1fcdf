/**
 * DHCP full mode: 500 distinct MACs each completing DISCOVER, OFFER, REQUEST, ACK at once, Metalbox vs
 * dnsmasq 2.90, the same client on two identical lab segments, rounds alternating in the same run.
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

async function main(): Promise<void> {
  const why = missing('root', 'netns', 'bin:dnsmasq');
  if (why) {
    console.log(`skipped: ${why}`);
    return;
  }
  const lab = await Lab.create('benchdhcp');
  try {
    // Metalbox on one segment, dnsmasq on another (both answer broadcasts), the same client on each.
    const a = await lab.segment('ours');
    const b = await lab.segment('theirs');
    const ours = await lab.host('oursbox', a, '10.91.0.1/16');
    const theirs = await lab.host('dnsmasqbox', b, '10.92.0.1/16');
    const clientA = await lab.host('clienta', a, '10.91.0.5/16');
    const clientB = await lab.host('clientb', b, '10.92.0.5/16');
    await lab.defaultRoute(clientA, '10.91.0.254');
    await lab.defaultRoute(clientB, '10.92.0.254');
    const dnsmasq = startDnsmasqDhcp(lab, theirs, { range: '10.92.1.1,10.92.254.254', netmask: '255.255.0.0', noPing: true, logDhcp: false, extra: ['--quiet-dhcp'] });
    await dnsmasq.waitForOutput(/DHCP, IP range/, 10_000);
    await startNode(lab, ours, 'test/dhcp/support/netboot-host.ts', {
      cidr: '10.91.0.1/16',
      dataDir: join(lab.dir, 'ours'),
      probeWaitMs: 1000,
      quiet: true,
      settings: { dhcp: { mode: 'full', range: '10.91.1.1-10.91.254.254', leaseTime: 3600 } },
    });
    const runA = await startNode(lab, clientA, 'bench/dhcp/client.ts', {});
    const runB = await startNode(lab, clientB, 'bench/dhcp/client.ts', {});
    const results: Record<'ours' | 'dnsmasq', Result[]> = { ours: [], dnsmasq: [] };
    await runA.call<Result>('run', { n: 50 }, 120_000); // warm up both
    await runB.call<Result>('run', { n: 50 }, 120_000);
    for (let i = 0; i < rounds; i++) {
      const order = i % 2 === 0 ? (['ours', 'dnsmasq'] as const) : (['dnsmasq', 'ours'] as const);
      for (const who of order) {
        const [srv, cli] = who === 'ours' ? [ours.ns, clientA.ns] : [theirs.ns, clientB.ns];
        const before = [await rcvbufErrors(srv), await rcvbufErrors(cli)];
        const r = await (who === 'ours' ? runA : runB).call<Result>('run', { n: CLIENTS }, 120_000);
        results[who].push({ ...r, serverDrops: (await rcvbufErrors(srv)) - before[0]!, clientDrops: (await rcvbufErrors(cli)) - before[1]! });
      }
      const o = results.ours.at(-1)!;
      const d = results.dnsmasq.at(-1)!;
      const line = (x: Result) => `offer p50 ${x.offerP50.toFixed(0)} p99 ${x.offerP99.toFixed(0)}, ack p50 ${x.p50.toFixed(1)} p99 ${x.p99.toFixed(1)} ms, lost ${x.lost}, retx ${x.retransmits}, kernel drops server ${x.serverDrops} client ${x.clientDrops}`;
      console.log(`round ${i + 1}: ours ${line(o)}; dnsmasq ${line(d)}`);
    }
    report(results);
    await runA.stop();
    await runB.stop();
  } finally {
    await lab.cleanup();
  }
}

function report(r: Record<'ours' | 'dnsmasq', Result[]>): void {
  const m = (who: 'ours' | 'dnsmasq', f: (x: Result) => number) => median(r[who].map(f));
  const sum = (who: 'ours' | 'dnsmasq', f: (x: Result) => number) => r[who].reduce((s, x) => s + f(x), 0);
  console.log(`\n${CLIENTS} MACs at once, DISCOVER-OFFER-REQUEST-ACK, ${rounds} rounds, medians:`);
  console.log('| server | lost (all rounds) | retransmissions (all rounds) | p50 | p99 | all done in |');
  console.log('|---|---|---|---|---|---|');
  for (const [who, name] of [['dnsmasq', 'dnsmasq 2.90 --no-ping'], ['ours', 'Metalbox full mode']] as const) {
    console.log(`| ${name} | ${sum(who, (x) => x.lost)} | ${sum(who, (x) => x.retransmits)} | ${m(who, (x) => x.p50).toFixed(1)} ms | ${m(who, (x) => x.p99).toFixed(1)} ms | ${m(who, (x) => x.totalMs).toFixed(0)} ms |`);
  }
  console.log(`\nratios Metalbox/dnsmasq: p50 ${(m('ours', (x) => x.p50) / m('dnsmasq', (x) => x.p50)).toFixed(2)}, p99 ${(m('ours', (x) => x.p99) / m('dnsmasq', (x) => x.p99)).toFixed(2)}`);
  console.log(`distinct addresses per round: ours ${r.ours.map((x) => x.distinctAddresses).join(',')}; dnsmasq ${r.dnsmasq.map((x) => x.distinctAddresses).join(',')}`);
}

await main();
