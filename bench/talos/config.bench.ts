/**
 * Talos configuration: a whole cluster (secrets, 3 control plane and 10 worker configs, each with
 * TalosConfig, ServerClass and Server patches and the node label) and one machine's config with the
 * cluster's secrets already made. Every config is checked against its version's schema, as the bootstrap
 * controller does. talosctl is not installed here, so the numbers are absolute, against the targets
 * (cluster < 1 s, one config < 10 ms); the one step that dominates a cold cluster, the RSA-4096
 * service-account key, is run side by side with `openssl genrsa 4096` and with Node's own
 * generateKeyPair('rsa'), and CPU time is reported beside wall time because the machine is shared.
 *
 *   node --import tsx bench/talos/config.bench.ts      (or: npm run bench -- talos)
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPair } from 'node:crypto';
import { loadavg } from 'node:os';
import { promisify } from 'node:util';
import {
  generateMachineConfig,
  generateSecretsBundle,
  prepareSecretsBundle,
  renderServerConfig,
  validateMachineConfig,
  type SecretsBundle,
  type SideroPatchSources,
} from '../../src/talos/index.js';
import { newRSAKey } from '../../src/talos/secrets/pki.js';

const CONTRACTS = ['v1.13', 'v1.11'];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function sources(i: number, role: 'cp' | 'worker'): SideroPatchSources {
  return {
    talosConfig: { name: role, strategicPatches: ['machine:\n  install:\n    wipe: true\n'] },
    serverClass: { name: role === 'cp' ? 'masters' : 'workers', strategicPatches: ['machine:\n  install:\n    disk: /dev/nvme0n1\n  kubelet:\n    extraArgs:\n      node-labels: rack=r1\n'] },
    server: { name: `4c4c4544-0035-3010-8030-${String(i).padStart(12, '0')}`, strategicPatches: [`machine:\n  network:\n    hostname: node-${i}\n`] },
  };
}

function machine(secrets: SecretsBundle, contract: string, i: number, role: 'cp' | 'worker'): string {
  const base = generateMachineConfig({
    type: role === 'cp' ? 'controlplane' : 'worker',
    versionContract: contract,
    secrets,
    clusterName: 'bench',
    endpoint: 'https://10.0.0.10:6443',
    installDisk: '/dev/sda',
  });
  const text = renderServerConfig(base, sources(i, role));
  if (validateMachineConfig(text, contract).length > 0) throw new Error(`config ${i} does not pass the schema`);
  return text;
}

async function cluster(contract: string): Promise<{ total: number; secrets: number }> {
  const t0 = performance.now();
  const secrets = await generateSecretsBundle({ versionContract: contract });
  const t1 = performance.now();
  for (let i = 0; i < 13; i++) machine(secrets, contract, i, i < 3 ? 'cp' : 'worker');
  return { total: performance.now() - t0, secrets: t1 - t0 };
}

const generateKeyPairAsync = promisify(generateKeyPair);

/** Wall and CPU time (this process, thread pool included; children for openssl) of one run. */
async function timed(fn: () => Promise<unknown> | unknown): Promise<{ wall: number; cpu: number }> {
  const c = process.cpuUsage();
  const t = performance.now();
  await fn();
  const d = process.cpuUsage(c);
  return { wall: performance.now() - t, cpu: (d.user + d.system) / 1000 };
}

function opensslGenrsa(): void {
  execFileSync('openssl', ['genrsa', '4096'], { stdio: ['ignore', 'ignore', 'ignore'] });
}

/** The RSA-4096 key, interleaved: Metalbox's (two primes at once), Node's generateKeyPair, openssl genrsa. */
async function rsaSideBySide(runs = 15): Promise<void> {
  const ways: [string, () => Promise<unknown> | unknown][] = [
    ['metalbox newRSAKey (2 primes in parallel)', () => newRSAKey()],
    ["node generateKeyPair('rsa', 4096)", () => generateKeyPairAsync('rsa', { modulusLength: 4096 })],
    ['openssl genrsa 4096 (process, wall only)', opensslGenrsa],
  ];
  const got = ways.map(() => [] as { wall: number; cpu: number }[]);
  for (let i = 0; i < runs; i++) for (const [w, [, fn]] of ways.entries()) got[w]!.push(await timed(fn));
  const ref = median(got[2]!.map((r) => r.wall));
  for (const [w, [name]] of ways.entries()) {
    const wall = median(got[w]!.map((r) => r.wall));
    const cpu = w === 2 ? '' : `, CPU median ${median(got[w]!.map((r) => r.cpu)).toFixed(0)} ms`;
    console.log(`RSA-4096 ${name}: wall median ${wall.toFixed(0)} ms, p90 ${[...got[w]!.map((r) => r.wall)].sort((a, b) => a - b)[Math.floor(runs * 0.9)]!.toFixed(0)} ms${cpu}; wall ratio to openssl ${(wall / ref).toFixed(2)}`);
  }
}

async function main(): Promise<void> {
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}, node ${process.version}`);
  // Warm up module loading, the type model and the schema compiler.
  const warm = await generateSecretsBundle({ versionContract: 'v1.13' });
  machine(warm, 'v1.13', 0, 'cp');
  validateMachineConfig(machine(warm, 'v1.13', 0, 'cp'), 'v1.13');

  await rsaSideBySide();

  for (const contract of CONTRACTS) {
    const cold: number[] = [];
    const coldCpu: number[] = [];
    const rest: number[] = [];
    for (let i = 0; i < 9; i++) {
      const c = process.cpuUsage();
      const r = await cluster(contract);
      const d = process.cpuUsage(c);
      cold.push(r.total);
      coldCpu.push((d.user + d.system) / 1000);
      rest.push(r.total - r.secrets);
    }
    const warmRuns: number[] = [];
    for (let i = 0; i < 5; i++) {
      prepareSecretsBundle();
      await new Promise((r) => setTimeout(r, 4000)); // the operator opening the create-cluster dialog
      warmRuns.push((await cluster(contract)).total);
    }
    console.log(`${contract} whole cluster, cold (RSA keygen included): median ${median(cold).toFixed(0)} ms, CPU median ${median(coldCpu).toFixed(0)} ms (runs ${cold.map((x) => x.toFixed(0)).join(', ')})`);
    console.log(`${contract} whole cluster, spare RSA key ready: median ${median(warmRuns).toFixed(0)} ms (runs ${warmRuns.map((x) => x.toFixed(0)).join(', ')})`);
    console.log(`${contract} 13 configs with patches, secrets made: median ${median(rest).toFixed(1)} ms`);

    const one: number[] = [];
    const gen: number[] = [];
    const val: number[] = [];
    for (let i = 0; i < 300; i++) {
      let t = performance.now();
      generateMachineConfig({ type: 'worker', versionContract: contract, secrets: warm, clusterName: 'bench', endpoint: 'https://10.0.0.10:6443' });
      gen.push(performance.now() - t);
      t = performance.now();
      const text = machine(warm, contract, i, 'worker');
      one.push(performance.now() - t);
      t = performance.now();
      validateMachineConfig(text, contract);
      val.push(performance.now() - t);
    }
    console.log(`${contract} one config (generate + 3 patches + node label + schema check): median ${median(one).toFixed(2)} ms, p90 ${[...one].sort((a, b) => a - b)[270]!.toFixed(2)} ms`);
    console.log(`${contract} generate only: median ${median(gen).toFixed(2)} ms; schema validation of the result: median ${median(val).toFixed(2)} ms`);
  }
}

await main();
