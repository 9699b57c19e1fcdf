/**
 * What a machine boots now: one pure function of its Server, its ServerBinding, the bound ServerClass,
 * the Environment it would use and the settings (DESIGN.md section 4). In order:
 *
 * | state                                            | answer                                           |
 * |--------------------------------------------------|--------------------------------------------------|
 * | not accepted                                     | park                                             |
 * | allocated and installed (and not pxeBootAlways)  | boot from disk by method: Server > class > setting |
 * | cordoned                                         | park                                             |
 * | allocated, not yet installed                     | the install environment (with a boot token)      |
 * | not allocated and dirty (status.isClean false)   | the wipe environment (Talos resets its disk)     |
 * | not allocated, clean                             | park                                             |
 *
 * An installed server boots from disk even when cordoned: cordoning holds a machine back from new work,
 * and sending a running node to its disk is the harmless answer. A new Server (isClean never set) counts
 * as clean, so discovery never wipes disks; controllers set isClean to false when a server is released,
 * and the HTTP service sets it true again once the machine has booted the wipe environment and come back.
 * The environment: Server.spec.environmentRef > bound ServerClass's > the default for the architecture.
 */
import type { BootFromDiskMethod, Condition, Environment, Server, ServerBinding, ServerClass } from '../api/index.js';
import type { Settings } from '../config/index.js';
import type { Readiness } from '../assets/index.js';
import { annotations } from '../api/index.js';

export type BootAnswer =
  | { action: 'park'; reason: string }
  | { action: 'install' | 'wipe'; environment: Environment; reason: string }
  | { action: 'disk'; method: BootFromDiskMethod; reason: string }
  | { action: 'refuse'; status: 404 | 412; reason: string };

export interface BootInput {
  server: Server;
  binding?: ServerBinding | undefined;
  /** The ServerClass named by the binding (the class the server was allocated from). */
  serverClass?: ServerClass | undefined;
  /** The Environment named by environmentFor(), when it exists, and how to learn its readiness (asked only when needed). */
  environment?: { resource: Environment; readiness: () => Readiness } | undefined;
  /** The architecture the machine reported (see machineArch). */
  arch: 'amd64' | 'arm64' | undefined;
  settings: Pick<Settings, 'bootFromDiskMethod'>;
}

/** The built-in default Environment per architecture. */
export const DEFAULT_ENVIRONMENT: Readonly<Record<'amd64' | 'arm64', string>> = { amd64: 'default', arm64: 'default-arm64' };

function isTrue(conds: readonly Condition[] | undefined, type: string): boolean {
  return (conds ?? []).some((c) => c.type === type && c.status === 'True');
}

/** Installed: Sidero's PXEBooted on the Server, or TalosInstalled on the binding. Only while allocated. */
export function isInstalled(server: Server, binding: ServerBinding | undefined): boolean {
  if (!binding) return false;
  return isTrue(server.status?.conditions, 'PXEBooted') || isTrue(binding.status?.conditions, 'TalosInstalled');
}

/**
 * The Environment's name for this machine, or undefined when none applies (an architecture with no
 * default). Pass the class only for an allocated server.
 */
export function environmentFor(server: Server, serverClass: ServerClass | undefined, arch: 'amd64' | 'arm64' | undefined): string | undefined {
  const own = server.spec?.environmentRef?.name;
  if (own) return own;
  const cls = serverClass?.spec?.environmentRef?.name;
  if (cls) return cls;
  return arch ? DEFAULT_ENVIRONMENT[arch] : undefined;
}

function bootFromDiskMethod(i: BootInput): BootFromDiskMethod {
  return i.server.spec?.bootFromDiskMethod || i.serverClass?.spec?.bootFromDiskMethod || i.settings.bootFromDiskMethod;
}

function environmentAnswer(i: BootInput, action: 'install' | 'wipe', why: string): BootAnswer {
  const name = environmentFor(i.server, action === 'install' ? i.serverClass : undefined, i.arch);
  if (!name) return { action: 'refuse', status: 412, reason: 'no Environment for this machine\'s architecture: set spec.environmentRef on the Server or its ServerClass' };
  const env = i.environment?.resource;
  if (!env || env.metadata.name !== name) return { action: 'refuse', status: 404, reason: `environment "${name}" not found` };
  const envArch = env.metadata.annotations?.[annotations.ARCH];
  if (envArch && i.arch && envArch !== i.arch) {
    return { action: 'refuse', status: 412, reason: `environment "${name}" is for ${envArch}, this machine is ${i.arch}` };
  }
  const ready = i.environment?.readiness() ?? { ready: false, reason: 'readiness unknown' };
  if (!ready.ready) return { action: 'refuse', status: 412, reason: `environment "${name}" is not ready: ${ready.reason ?? 'unknown reason'}` };
  return { action, environment: env, reason: why };
}

export function decideBoot(i: BootInput): BootAnswer {
  const { server, binding } = i;
  if (!server.spec?.accepted) return { action: 'park', reason: 'not accepted yet: accept it to use it' };
  if (isInstalled(server, binding) && !server.spec.pxeBootAlways) {
    return { action: 'disk', method: bootFromDiskMethod(i), reason: 'Talos is installed' };
  }
  if (server.spec.cordoned) return { action: 'park', reason: 'cordoned' };
  if (binding) {
    const mm = binding.spec?.metalMachineRef;
    return environmentAnswer(i, 'install', `allocated to ${mm?.namespace ?? 'default'}/${mm?.name ?? '?'}`);
  }
  if (server.status?.isClean === false) return environmentAnswer(i, 'wipe', 'released and not wiped yet');
  return { action: 'park', reason: 'accepted and waiting to be allocated' };
}
