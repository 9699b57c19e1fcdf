/**
 * TFTP: 64 concurrent downloads of ipxe.efi at blksize 1468, Metalbox vs dnsmasq 2.90's TFTP, on the same
 * lab segment in the same run (rounds alternate so load from elsewhere hits both alike); then Metalbox
 * with windowsize 4 and 8 (dnsmasq 2.90 has no windowsize). Needs root, network namespaces and dnsmasq.
 *
 *   npx tsx bench/tftp/tftp.bench.ts [rounds=5]
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDnsmasqTftp } from '../../test/lab/dnsmasq.js';
import { Lab } from '../../test/lab/lab.js';
import { startNode } from '../../test/lab/node.js';
import { missing } from '../../test/support/needs.js';

const IPXE = '/usr/lib/ipxe/ipxe.efi';
const CONCURRENT = 64;
const rounds = Number(process.argv[2] ?? 5);

interface RunResult {
  totalMs: number;
  failed: number;
  bytes: number;
  distinctContents: number;
  windowGranted: string;
  blksizeGranted: string;
  dataPackets: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const why = missing('root', 'netns', 'bin:dnsmasq', `file:${IPXE}`);
  if (why) {
    console.log(`skipped: ${why}`);
    return;
  }
  const lab = await Lab.create('benchtftp');
  try {
    const run = await setUp(lab);
    await run('run', 'ours');
    await run('run', 'dnsmasq'); // warm both (page cache, JIT)
    const cases = {
      ours: () => run('run', 'ours'),
      dnsmasq: () => run('run', 'dnsmasq'),
      oursCurl: () => run('curl', 'ours'),
      dnsmasqCurl: () => run('curl', 'dnsmasq'),
      w4: () => run('run', 'ours', 4),
      w8: () => run('run', 'ours', 8),
      oursOne: () => run('run', 'ours', undefined, 1),
      dnsmasqOne: () => run('run', 'dnsmasq', undefined, 1),
      w4One: () => run('run', 'ours', 4, 1),
    };
    const results: Record<string, Measured[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
    for (let i = 0; i < rounds; i++) {
      for (const [k, f] of Object.entries(cases)) results[k]!.push(await f());
      console.log(`round ${i + 1}: ${Object.entries(results).map(([k, v]) => `${k} ${v.at(-1)!.totalMs.toFixed(0)} ms (server cpu ${v.at(-1)!.serverCpuMs} ms)`).join(', ')}`);
    }
    report(results);
  } finally {
    await lab.cleanup();
  }
}

/** Metalbox (10.90.0.1) and dnsmasq (10.90.0.2) serving ipxe.efi, a client at 10.90.0.10; returns a runner. */
async function setUp(lab: Lab) {
  const lan = await lab.segment('lan');
  const ours = await lab.host('ours', lan, '10.90.0.1/24');
  const theirs = await lab.host('dnsmasq', lan, '10.90.0.2/24');
  const client = await lab.host('client', lan, '10.90.0.10/24');
  const root = join(lab.dir, 'tftproot');
  mkdirSync(root);
  copyFileSync(IPXE, join(root, 'ipxe.efi'));
  const dnsmasq = startDnsmasqTftp(lab, theirs, { root });
  await dnsmasq.waitForOutput(/TFTP root is/, 10_000);
  const server = await startNode(lab, ours, 'test/dhcp/support/netboot-host.ts', {
    cidr: '10.90.0.1/24',
    dataDir: lab.dir,
    dhcp: false,
    tftp: true,
    quiet: true,
    files: { 'ipxe.efi': join(root, 'ipxe.efi') },
  });
  const bench = await startNode(lab, client, 'bench/tftp/client.ts', {});
  const pids: Record<string, number> = { ours: server.proc.pid!, dnsmasq: dnsmasq.pid! };
  return async (op: 'run' | 'curl', who: 'ours' | 'dnsmasq', windowsize?: number, n = CONCURRENT): Promise<Measured> => {
    const host = who === 'ours' ? '10.90.0.1' : '10.90.0.2';
    const before = cpuMs(pids[who]!);
    const r = await bench.call<RunResult>(op, { host, port: 69, file: 'ipxe.efi', n, blksize: 1468, ...(windowsize ? { windowsize } : {}) }, 300_000);
    if (r.failed || r.distinctContents !== 1) throw new Error(`${who} ${op}: ${r.failed} failed, ${r.distinctContents} distinct contents`);
    return { ...r, serverCpuMs: cpuMs(pids[who]!) - before };
  };
}

type Measured = RunResult & { serverCpuMs: number };

/** CPU time (user + system) a process has used, ms, from /proc. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime in 1/100 s
}

function report(results: Record<string, Measured[]>): void {
  const m = (k: string, f: (r: Measured) => number) => median(results[k]!.map(f));
  const wall = (k: string) => m(k, (r) => r.totalMs);
  const cpu = (k: string) => m(k, (r) => r.serverCpuMs);
  const mb = (results.ours![0]!.bytes / 1e6).toFixed(1);
  console.log(`\n${CONCURRENT} concurrent downloads of ipxe.efi (${mb} MB in total), blksize 1468, ${rounds} rounds, medians:`);
  console.log('| client | server | total time | ratio to dnsmasq | server CPU | window |');
  console.log('|---|---|---|---|---|---|');
  const row = (client: string, server: string, k: string, base: string) =>
    console.log(`| ${client} | ${server} | ${wall(k).toFixed(0)} ms | ${(wall(k) / wall(base)).toFixed(2)} | ${cpu(k).toFixed(0)} ms | ${results[k]![0]!.windowGranted} |`);
  row('raw (Node)', 'dnsmasq 2.90', 'dnsmasq', 'dnsmasq');
  row('raw (Node)', 'Metalbox', 'ours', 'dnsmasq');
  row('64 x curl', 'dnsmasq 2.90', 'dnsmasqCurl', 'dnsmasqCurl');
  row('64 x curl', 'Metalbox', 'oursCurl', 'dnsmasqCurl');
  row('raw (Node)', 'Metalbox, windowsize 4', 'w4', 'dnsmasq');
  row('raw (Node)', 'Metalbox, windowsize 8', 'w8', 'dnsmasq');
  console.log(`\nwindowsize gain over lockstep (same client): w4 ${(wall('ours') / wall('w4')).toFixed(2)}x, w8 ${(wall('ours') / wall('w8')).toFixed(2)}x`);
  console.log(`one download alone (round-trip bound): dnsmasq ${wall('dnsmasqOne').toFixed(0)} ms, Metalbox ${wall('oursOne').toFixed(0)} ms (ratio ${(wall('oursOne') / wall('dnsmasqOne')).toFixed(2)}), Metalbox windowsize 4 ${wall('w4One').toFixed(0)} ms`);
  console.log(`all runs, wall ms: ${JSON.stringify(Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.map((x) => Math.round(x.totalMs))])))}`);
}

if (!existsSync(IPXE)) console.log(`note: ${IPXE} not found`);
await main();
