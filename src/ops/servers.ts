import { annotations, type Server, type ServerBinding, type ServerClass } from '../api/index.js';
import { errorMessage, MetalboxError } from '../util/errors.js';
import { defineOps } from './registry.js';
import type { OpsContext } from './types.js';

function server(ctx: OpsContext, name: string): Server {
  const s = ctx.store.get<Server>('Server', name);
  if (!s) throw new MetalboxError('NOT_FOUND', `server "${name}" not found`, { hint: 'names are SMBIOS UUIDs; `metalbox get servers` lists them' });
  return s;
}

async function change(ctx: OpsContext, name: string, action: string, fn: (s: Server) => void, detail?: string): Promise<Server> {
  server(ctx, name);
  const out = await ctx.store.mutate<Server>('Server', name, undefined, (s) => fn(s));
  ctx.events.emit({ type: 'operator.action', action, target: name, ...(detail ? { detail } : {}) });
  return out;
}

const accept = (ctx: OpsContext, a: { name: string }) => change(ctx, a.name, 'accept', (s) => void (s.spec = { ...s.spec!, accepted: true }));
const cordon = (ctx: OpsContext, a: { name: string }) => change(ctx, a.name, 'cordon', (s) => void (s.spec = { ...s.spec!, cordoned: true }));
const uncordon = (ctx: OpsContext, a: { name: string }) => change(ctx, a.name, 'uncordon', (s) => void (s.spec = { ...s.spec!, cordoned: false }));

async function label(ctx: OpsContext, a: { name: string; set?: Record<string, string>; remove?: string[] }): Promise<Server> {
  const detail = [...Object.entries(a.set ?? {}).map(([k, v]) => `${k}=${v}`), ...(a.remove ?? []).map((k) => `${k}-`)].join(' ');
  return change(
    ctx,
    a.name,
    'label',
    (s) => {
      const labels = { ...s.metadata.labels, ...a.set };
      for (const k of a.remove ?? []) delete labels[k];
      s.metadata.labels = labels;
    },
    detail,
  );
}

/**
 * Put a server into a class: give it the labels the class's selector asks for. A class chosen only by
 * hardware qualifiers cannot take a server by hand; the error says so.
 */
async function assignClass(ctx: OpsContext, a: { name: string; class: string }): Promise<Server> {
  const cls = ctx.store.get<ServerClass>('ServerClass', a.class);
  if (!cls) throw new MetalboxError('NOT_FOUND', `server class "${a.class}" not found`);
  const want = cls.spec?.selector?.matchLabels ?? {};
  if (Object.keys(want).length === 0) {
    throw new MetalboxError('CLASS_NOT_ASSIGNABLE', `server class "${a.class}" selects servers by hardware only (no selector labels)`, {
      hint: `add a selector to it (e.g. matchLabels ${annotations.CLASS_LABEL}: ${a.class}) or change the server's hardware qualifiers`,
    });
  }
  return change(ctx, a.name, 'assign class', (s) => void (s.metadata.labels = { ...s.metadata.labels, ...want }), a.class);
}

/** Reserve a server for a cluster and role: allocation for that cluster prefers it, no other cluster takes it. */
async function assignCluster(ctx: OpsContext, a: { name: string; cluster: string; role: 'controlplane' | 'worker'; namespace?: string }): Promise<Server> {
  if (!ctx.store.get('Cluster', a.cluster, a.namespace ?? 'default')) throw new MetalboxError('NOT_FOUND', `cluster "${a.cluster}" not found`);
  if (a.role !== 'controlplane' && a.role !== 'worker') throw new MetalboxError('USAGE', `role must be controlplane or worker, not "${String(a.role)}"`);
  return change(
    ctx,
    a.name,
    'assign cluster',
    (s) => void (s.metadata.labels = { ...s.metadata.labels, [annotations.CLUSTER_LABEL]: a.cluster, [annotations.ROLE_LABEL]: a.role }),
    `${a.cluster} as ${a.role}`,
  );
}

async function unassign(ctx: OpsContext, a: { name: string }): Promise<Server> {
  return change(ctx, a.name, 'unassign', (s) => {
    const labels = { ...s.metadata.labels };
    delete labels[annotations.CLUSTER_LABEL];
    delete labels[annotations.ROLE_LABEL];
    s.metadata.labels = labels;
  });
}

/** What one source's patches are, for the config page: `ServerClass workers: 2 JSON, 1 strategic`. */
function patchNote(what: string, p: { configPatches?: unknown[]; strategicPatches?: unknown[] } | undefined): string[] {
  const j = p?.configPatches?.length ?? 0;
  const st = p?.strategicPatches?.length ?? 0;
  return j || st ? [`${what}: ${j} JSON, ${st} strategic`] : [];
}

/**
 * The config a server gets at its next boot, as /configdata serves it: its bootstrap config with its
 * ServerClass's and its own patches and the node label applied. Not allocated: no config yet (an error).
 * The HTTP and Talos code load only when asked (CLI commands like accept do not pay for them).
 */
async function renderConfig(ctx: OpsContext, a: { name: string }): Promise<{ yaml: string; patches: string[]; errors: string[] }> {
  const s = server(ctx, a.name);
  const binding = ctx.store.get<ServerBinding>('ServerBinding', a.name);
  if (!binding) {
    throw new MetalboxError('NOT_ALLOCATED', `server ${a.name} is not allocated to a cluster, so it has no Talos config yet`, {
      hint: 'reserve it for a cluster (K in the console) or create a cluster from a class it is in',
    });
  }
  const [{ findBootstrapConfig, patchSource }, { renderServerConfig }] = await Promise.all([import('../http/index.js'), import('../talos/index.js')]);
  const found = findBootstrapConfig(ctx, binding);
  if (!found.ok) return { yaml: '', patches: [], errors: [`no config yet: ${found.missing}`] };
  const own = patchSource(a.name, s.spec);
  const patches = [...patchNote(`ServerClass ${found.serverClass?.name ?? ''}`, found.serverClass), ...patchNote('Server', own)];
  try {
    return { yaml: renderServerConfig(found.config, { ...(found.serverClass ? { serverClass: found.serverClass } : {}), server: own }), patches, errors: [] };
  } catch (e) {
    return { yaml: found.config, patches, errors: [`a patch does not apply, so this server would get no config: ${errorMessage(e)}`] };
  }
}

defineOps({
  'servers.renderConfig': renderConfig,
  'servers.accept': accept,
  'servers.cordon': cordon,
  'servers.uncordon': uncordon,
  'servers.label': label,
  'servers.assignClass': assignClass,
  'servers.assignCluster': assignCluster,
  'servers.unassign': unassign,
});
