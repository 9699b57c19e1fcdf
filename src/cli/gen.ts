/**
 * `metalbox gen secrets` and `metalbox gen config`: talosctl-compatible generation of a secrets bundle,
 * machine configs and a talosconfig, with the same flags where talosctl has them.
 */
import type { Command } from 'commander';
import { access, mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  defaultKubernetesVersion,
  generateConfigBundle,
  generateSecretsBundle,
  parseContract,
  parseSecretsBundle,
  releaseTag,
  stringifySecretsBundle,
  type ConfigPatch,
  type SecretsBundle,
} from '../talos/index.js';
import { writeFileDurable } from '../util/durable.js';
import { MetalboxError } from '../util/errors.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
const collectCsv = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value.split(',').map((s) => s.trim()).filter((s) => s !== ''),
];

function usage(message: string, hint?: string): MetalboxError {
  return new MetalboxError('USAGE', message, hint ? { hint } : {});
}

/** talosctl-style boolean flags take `--flag=false`; anything but true/false is refused, not swallowed. */
function boolFlag(name: string) {
  return (value: string): boolean => {
    if (value === 'true') return true;
    if (value === 'false') return false;
    throw usage(`--${name} takes true or false, not "${value}"`, `write it as --${name}=false`);
  };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function writeOutput(path: string, text: string, force: boolean): Promise<void> {
  if (!force && (await exists(path))) throw usage(`${path} already exists`, 'use --force to overwrite it');
  await writeFileDurable(path, text, 0o600);
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new MetalboxError('FILE_UNREADABLE', `cannot read ${what} ${path}: ${(e as Error).message}`, { cause: e });
  }
}

/** --config-patch values as talosctl reads them: `@file`, a bare file name, or the patch itself. */
async function loadPatchArgs(values: string[], flag: string): Promise<ConfigPatch[]> {
  const out: ConfigPatch[] = [];
  for (const [index, value] of values.entries()) {
    let text = value;
    if (value.startsWith('@')) text = await readText(value.slice(1), `${flag} file`);
    else if (!/[\n ]/.test(value) && !value.startsWith('[') && !value.startsWith('{')) text = await readText(value, `${flag} file`);
    out.push({ source: flag, index, kind: 'auto', patch: text });
  }
  return out;
}

/** `host=url[,url]` entries; a part without `=` adds an endpoint to the previous host. */
export function parseRegistryMirrors(values: string[]): Record<string, string[]> {
  const mirrors: Record<string, string[]> = {};
  let last: string | undefined;
  for (const part of values.flatMap((v) => v.split(','))) {
    const eq = part.indexOf('=');
    if (eq > 0) {
      last = part.slice(0, eq);
      (mirrors[last] ??= []).push(part.slice(eq + 1));
    } else if (last && part !== '') mirrors[last]!.push(part);
    else throw usage(`--registry-mirror "${part}" is not host=url`, 'for example --registry-mirror docker.io=https://mirror.local');
  }
  return mirrors;
}

export function parseSysctls(values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw usage(`--sysctl "${v}" is not key=value`, 'for example --sysctl net.core.somaxconn=65535');
    out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}

interface SecretsOptions {
  outputFile: string;
  talosVersion?: string;
  force?: boolean;
}

async function genSecrets(o: SecretsOptions): Promise<void> {
  const bundle = await generateSecretsBundle({ versionContract: parseContract(o.talosVersion) });
  const text = stringifySecretsBundle(bundle);
  if (o.outputFile === '-') return void process.stdout.write(text);
  await writeOutput(o.outputFile, text, o.force ?? false);
  process.stdout.write(`created ${o.outputFile}\n`);
}

interface ConfigOptions {
  withSecrets?: string;
  talosVersion?: string;
  kubernetesVersion?: string;
  additionalSans?: string[];
  dnsDomain: string;
  installDisk: string;
  installImage?: string;
  registryMirror?: string[];
  configPatch?: string[];
  configPatchControlPlane?: string[];
  configPatchWorker?: string[];
  outputDir: string;
  allowSchedulingOnControlPlanes?: boolean;
  installExtraKernelArgs?: string[];
  localApiServerPort?: string;
  sysctl?: string[];
  cniName?: string;
  cniUrl?: string[];
  withClusterDiscovery?: boolean;
  force?: boolean;
}

function port(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw usage(`--local-api-server-port ${value} is not a port number`);
  return n;
}

async function secretsFor(o: ConfigOptions): Promise<SecretsBundle> {
  if (o.withSecrets) return parseSecretsBundle(await readText(o.withSecrets, 'secrets bundle'));
  process.stderr.write('generating PKI and tokens\n');
  return generateSecretsBundle({ versionContract: parseContract(o.talosVersion) });
}

async function genConfig(clusterName: string, endpoint: string, o: ConfigOptions): Promise<void> {
  if (!/^https:\/\//.test(endpoint)) throw usage(`the cluster endpoint "${endpoint}" must start with https://`, 'for example https://10.0.0.10:6443');
  const contract = parseContract(o.talosVersion);
  const cni = o.cniName || (o.cniUrl && o.cniUrl.length > 0) ? { name: o.cniName || 'custom', urls: o.cniUrl ?? [] } : undefined;
  const files = ['controlplane.yaml', 'worker.yaml', 'talosconfig'].map((f) => join(resolve(o.outputDir), f));
  if (!o.force) for (const f of files) if (await exists(f)) throw usage(`${f} already exists`, 'use --force to overwrite it');
  const bundle = await generateConfigBundle({
    versionContract: contract,
    secrets: await secretsFor(o),
    clusterName,
    endpoint,
    kubernetesVersion: o.kubernetesVersion ?? defaultKubernetesVersion(contract),
    installDisk: o.installDisk,
    installImage: o.installImage ?? `ghcr.io/siderolabs/installer:${releaseTag(o.talosVersion, contract)}`,
    additionalSANs: o.additionalSans ?? [],
    dnsDomain: o.dnsDomain,
    registryMirrors: parseRegistryMirrors(o.registryMirror ?? []),
    allowSchedulingOnControlPlanes: o.allowSchedulingOnControlPlanes ?? false,
    installExtraKernelArgs: (o.installExtraKernelArgs ?? []).flatMap((a) => a.split(/\s+/).filter((s) => s !== '')),
    localAPIServerPort: port(o.localApiServerPort),
    sysctls: parseSysctls(o.sysctl ?? []),
    discovery: o.withClusterDiscovery ?? true,
    patches: await loadPatchArgs(o.configPatch ?? [], '--config-patch'),
    controlPlanePatches: await loadPatchArgs(o.configPatchControlPlane ?? [], '--config-patch-control-plane'),
    workerPatches: await loadPatchArgs(o.configPatchWorker ?? [], '--config-patch-worker'),
    ...(cni ? { cni } : {}),
  });
  await mkdir(resolve(o.outputDir), { recursive: true });
  const texts = [bundle.controlplane, bundle.worker, bundle.talosconfig];
  for (const [i, f] of files.entries()) {
    await writeFileDurable(f, texts[i]!, 0o600);
    process.stdout.write(`created ${f}\n`);
  }
}

export function registerGen(program: Command): void {
  const gen = program.command('gen').description('generate Talos secrets and machine configs (like talosctl gen)');

  gen
    .command('secrets')
    .description('generate a secrets bundle (talosctl gen secrets format)')
    .option('-o, --output-file <file>', 'where to write the bundle; - for standard output', 'secrets.yaml')
    .option('--talos-version <version>', 'Talos version contract, e.g. v1.13')
    .option('--force', 'overwrite an existing file')
    .action(async (o: SecretsOptions) => genSecrets(o));

  gen
    .command('config')
    .description('generate controlplane.yaml, worker.yaml and talosconfig for a cluster')
    .argument('<cluster-name>', 'the cluster name')
    .argument('<cluster-endpoint>', 'the control plane endpoint, e.g. https://10.0.0.10:6443')
    .option('--with-secrets <file>', 'use a secrets bundle made by gen secrets instead of new secrets')
    .option('--talos-version <version>', 'Talos version contract, e.g. v1.13 (default: newest supported)')
    .option('--kubernetes-version <version>', "Kubernetes version (default: the Talos version's default)")
    .option('--additional-sans <names>', 'extra certificate SANs, comma separated', collectCsv)
    .option('--dns-domain <domain>', 'cluster DNS domain', 'cluster.local')
    .option('--install-disk <disk>', 'install disk; "" leaves it unset', '/dev/sda')
    .option('--install-image <image>', 'installer image; "" leaves it unset (default: ghcr.io/siderolabs/installer:<talos version>)')
    .option('--registry-mirror <host=url>', 'registry mirror, repeatable', collect)
    .option('--config-patch <patch>', 'patch for all configs: @file, file or inline YAML/JSON; repeatable', collect)
    .option('--config-patch-control-plane <patch>', 'patch for control plane configs; repeatable', collect)
    .option('--config-patch-worker <patch>', 'patch for worker configs; repeatable', collect)
    .option('--output-dir <dir>', 'where to write the files', '.')
    .option('--allow-scheduling-on-control-planes [bool]', 'let workloads run on control planes', boolFlag('allow-scheduling-on-control-planes'))
    .option('--install-extra-kernel-args <args>', 'extra kernel arguments for the installed system; repeatable', collect)
    .option('--local-api-server-port <port>', 'port the API server listens on locally')
    .option('--sysctl <key=value>', 'sysctl for every machine; repeatable', collect)
    .option('--cni-name <name>', 'CNI: flannel, custom or none')
    .option('--cni-url <url>', 'manifest URL for a custom CNI; repeatable', collect)
    .option('--with-cluster-discovery [bool]', 'cluster discovery (default true)', boolFlag('with-cluster-discovery'))
    .option('--force', 'overwrite existing files')
    .action(async (name: string, endpoint: string, o: ConfigOptions) => genConfig(name, endpoint, o));
}
