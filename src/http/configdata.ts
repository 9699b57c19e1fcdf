/**
 * `GET /configdata?uuid=<server>&t=<token>`: the machine config Talos fetches at boot. The token is
 * checked first (src/boot tokens.ts); any failure is a bare 403 and an audit event with the requester's
 * address, so nothing about the server, its allocation or its config leaks. Then the config is found as
 * Sidero finds it: ServerBinding (named by the server) -> MetalMachine -> the Machine owning it -> the
 * Secret named by `spec.bootstrap.dataSecretName`, key `value`; the bound ServerClass's patches, the
 * Server's and the node label are applied. A missing link is a bare 404; the event log names it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { annotations, type ConfigPatch, type Machine, type MetalMachine, type Secret, type Server, type ServerBinding, type ServerClass } from '../api/index.js';
import { checkToken, isInstalled, parseTokenRecord, serverMacs } from '../boot/index.js';
import { errorMessage } from '../util/errors.js';
import type { JsonPatchOp, PatchSet } from '../talos/index.js';
import type { HttpContext } from './context.js';
import { peerAddress, send, sendError } from './respond.js';

type PatchSource = PatchSet & { name: string };
type Found = { ok: true; config: string; serverClass?: PatchSource } | { ok: false; missing: string };

/** Follow Sidero's chain from the binding to the bootstrap data. */
export function findBootstrapConfig(ctx: Pick<HttpContext, 'store'>, binding: ServerBinding): Found {
  const name = binding.metadata.name;
  const ref = binding.spec?.metalMachineRef;
  const ns = ref?.namespace || 'default';
  if (!ref?.name) return { ok: false, missing: `ServerBinding ${name} names no MetalMachine` };
  const mm = ctx.store.get<MetalMachine>('MetalMachine', ref.name, ns);
  if (!mm) return { ok: false, missing: `MetalMachine ${ns}/${ref.name} (of ServerBinding ${name}) not found` };
  const owner = mm.metadata.ownerReferences?.find((o) => o.kind === 'Machine');
  if (!owner) return { ok: false, missing: `MetalMachine ${ns}/${ref.name} has no owning Machine yet` };
  const machine = ctx.store.get<Machine>('Machine', owner.name, ns);
  if (!machine) return { ok: false, missing: `Machine ${ns}/${owner.name} (owner of MetalMachine ${ref.name}) not found` };
  const secretName = machine.spec?.bootstrap?.dataSecretName;
  if (!secretName) return { ok: false, missing: `Machine ${ns}/${owner.name} has no bootstrap data yet (spec.bootstrap.dataSecretName)` };
  const secret = ctx.store.get<Secret>('Secret', secretName, ns);
  if (!secret) return { ok: false, missing: `Secret ${ns}/${secretName} (bootstrap data of Machine ${owner.name}) not found` };
  const value = secret.data?.['value'];
  if (value === undefined) return { ok: false, missing: `Secret ${ns}/${secretName} has no key "value"` };
  const config = Buffer.from(value, 'base64').toString('utf8');
  const className = binding.spec?.serverClassRef?.name;
  if (!className) return { ok: true, config };
  const cls = ctx.store.get<ServerClass>('ServerClass', className);
  if (!cls) return { ok: false, missing: `ServerClass ${className} (of ServerBinding ${name}) not found` };
  return { ok: true, config, serverClass: patchSource(className, cls.spec) };
}

export function patchSource(name: string, spec: { configPatches?: ConfigPatch[]; strategicPatches?: string[] } | undefined): PatchSource {
  return {
    name,
    // The store holds JSON, which is always a valid YAML value.
    ...(spec?.configPatches?.length ? { configPatches: spec.configPatches as JsonPatchOp[] } : {}),
    ...(spec?.strategicPatches?.length ? { strategicPatches: spec.strategicPatches } : {}),
  };
}

function deny(ctx: HttpContext, req: IncomingMessage, res: ServerResponse, reason: string, server: string | undefined): void {
  ctx.events.emit({ type: 'audit.denied', peer: peerAddress(req), path: '/configdata', reason, ...(server ? { server } : {}) });
  sendError(req, res, 403);
}

export async function serveConfigData(ctx: HttpContext, req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
  const uuid = (query.get('uuid') ?? '').toLowerCase();
  const peer = peerAddress(req);
  const server = uuid ? ctx.store.get<Server>('Server', uuid) : undefined;
  if (!server) return deny(ctx, req, res, uuid ? `no server named ${uuid.slice(0, 64)}` : 'no uuid given', undefined);
  const binding = ctx.store.get<ServerBinding>('ServerBinding', uuid);
  const verdict = checkToken({
    record: parseTokenRecord(server.metadata.annotations?.[annotations.BOOT_TOKEN]),
    presented: query.get('t') ?? '',
    peer,
    peerMac: ctx.arp(peer),
    serverMacs: serverMacs(server.spec?.hardware),
    installed: isInstalled(server, binding),
    now: ctx.now(),
  });
  if (!verdict.ok) return deny(ctx, req, res, verdict.reason, uuid);
  if (!binding) return missing(ctx, req, res, uuid, `ServerBinding ${uuid} not found: the server is not allocated`);
  const found = findBootstrapConfig(ctx, binding);
  if (!found.ok) return missing(ctx, req, res, uuid, found.missing);
  let config: string;
  try {
    config = await ctx.renderConfig(found.config, {
      ...(found.serverClass ? { serverClass: found.serverClass } : {}),
      server: patchSource(uuid, server.spec),
    });
  } catch (e) {
    ctx.events.emit({ type: 'boot.config', server: uuid, outcome: 'error', detail: `patching the config failed: ${errorMessage(e)}` });
    return sendError(req, res, 500, 'see the Metalbox event log');
  }
  ctx.events.emit({ type: 'boot.config', server: uuid, outcome: 'served', detail: `${Buffer.byteLength(config)} bytes to ${peer}` });
  send(req, res, 200, config, { 'content-type': 'application/yaml; charset=utf-8' });
}

function missing(ctx: HttpContext, req: IncomingMessage, res: ServerResponse, server: string, what: string): void {
  ctx.events.emit({ type: 'boot.config', server, outcome: 'missing', detail: what });
  sendError(req, res, 404);
}
