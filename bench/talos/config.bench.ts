/**
 * Talos configuration: a whole cluster (secrets, 3 control plane and 10 worker configs, each with
 * TalosConfig, ServerClass and Server patches and the node label) and one machine's config with the
 * cluster's secrets already made. talosctl is not installed here, so the numbers are absolute, against the
 * targets (cluster < 1 s, one config < 10 ms).
 *
 *   node --import tsx bench/talos/config.bench.ts      (or: npm run bench -- talos)
 */
import { loadavg } from 'node:os';
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
  return renderServerConfig(base, sources(i, role));
}

async function cluster(contract: string): Promise<{ total: number; secrets: number }> {
  const t0 = performance.now();
  const secrets = await generateSecretsBundle({ versionContract: contract });
  const t1 = performance.now();
  for (let i = 0; i < 13; i++) machine(secrets, contract, i, i < 3 ? 'cp' : 'worker');
  return { total: performance.now() - t0, secrets: t1 - t0 };
}

async function main(): Promise<void> {
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}, node ${process.version}`);
  // Warm up module loading, the type model and the schema compiler.
  const warm = await generateSecretsBundle({ versionContract: 'v1.13' });
  machine(warm, 'v1.13', 0, 'cp');
  validateMachineConfig(machine(warm, 'v1.13', 0, 'cp'), 'v1.13');

  const rsa: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await newRSAKey();
    rsa.push(performance.now() - t);
  }
  console.log(`RSA-4096 key alone: median ${median(rsa).toFixed(0)} ms (runs ${rsa.map((x) => x.toFixed(0)).join(', ')})`);

  for (const contract of CONTRACTS) {
    const cold: number[] = [];
    const rest: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await cluster(contract);
      cold.push(r.total);
      rest.push(r.total - r.secrets);
    }
    const warmRuns: number[] = [];
    for (let i = 0; i < 5; i++) {
      prepareSecretsBundle();
      await new Promise((r) => setTimeout(r, 4000)); // the operator opening the create-cluster dialog
      warmRuns.push((await cluster(contract)).total);
    }
    console.log(`${contract} whole cluster, cold (RSA keygen included): median ${median(cold).toFixed(0)} ms (runs ${cold.map((x) => x.toFixed(0)).join(', ')})`);
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
    console.log(`${contract} one config (generate + 3 patches + node label): median ${median(one).toFixed(2)} ms, p90 ${[...one].sort((a, b) => a - b)[270]!.toFixed(2)} ms`);
    console.log(`${contract} generate only: median ${median(gen).toFixed(2)} ms; schema validation of the result: median ${median(val).toFixed(2)} ms`);
  }
}

await main();
