/**
 * Write an event's effect (policy.ts) to the store and tell the event log: the ServerBinding's conditions
 * and addresses, the Server's addresses and PXEBooted condition, a `talos.event` line for the boot
 * timeline and `boot.installed` the moment the server counts as installed (src/boot isInstalled, which is
 * what sends its next network boot to the disk). Writes happen only when something changes.
 */
import type { Condition, NodeAddress, Server, ServerBinding } from '../api/index.js';
import { isInstalled } from '../boot/index.js';
import type { EventBus } from '../events/index.js';
import type { Store } from '../store/index.js';
import type { ConditionChange, Effect } from './policy.js';

export interface ApplyContext {
  store: Store;
  events: EventBus;
  now?: () => Date;
}

/** Set a condition as Cluster API's MarkTrue/MarkFalse do: the transition time moves only when the status does. */
export function markCondition(list: readonly Condition[] | undefined, c: ConditionChange | { type: string; status: 'True' | 'False' }, now: Date): Condition[] {
  const out = [...(list ?? [])];
  const i = out.findIndex((x) => x.type === c.type);
  const prev = i >= 0 ? out[i] : undefined;
  const next: Condition = { type: c.type, status: c.status, lastTransitionTime: prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : now.toISOString() };
  if ('severity' in c && c.severity) next.severity = c.severity;
  if ('reason' in c && c.reason) next.reason = c.reason;
  if ('message' in c && c.message) next.message = c.message;
  if (i >= 0) out[i] = next;
  else out.push(next);
  return out;
}

function serverAddresses(peer: string, a: { hostname: string; addresses: string[] }): NodeAddress[] {
  const ips = a.addresses.includes(peer) || !peer ? a.addresses : [peer, ...a.addresses];
  const out: NodeAddress[] = ips.map((address) => ({ type: 'InternalIP', address }));
  if (a.hostname) out.push({ type: 'Hostname', address: a.hostname });
  return out;
}

async function updateBinding(ctx: ApplyContext, name: string, eff: Effect, now: Date): Promise<void> {
  if (!eff.conditions.length && !eff.addresses) return;
  if (!ctx.store.get<ServerBinding>('ServerBinding', name)) return;
  await ctx.store.mutate<ServerBinding>('ServerBinding', name, undefined, (b) => {
    if (eff.addresses && b.spec) {
      b.spec.addresses = eff.addresses.addresses;
      if (eff.addresses.hostname) b.spec.hostname = eff.addresses.hostname;
      else delete b.spec.hostname;
    }
    let conds = b.status?.conditions;
    for (const c of eff.conditions) conds = markCondition(conds, c, now);
    if (eff.conditions.length) b.status = { ready: b.status?.ready ?? false, ...b.status, conditions: conds ?? [] };
  });
}

async function updateServer(ctx: ApplyContext, name: string, peer: string, eff: Effect, now: Date): Promise<void> {
  const markBooted = eff.installed === true && ctx.store.get('ServerBinding', name) !== undefined;
  if (!markBooted && !eff.addresses) return;
  await ctx.store.mutate<Server>('Server', name, undefined, (s) => {
    const st = { ...s.status };
    if (markBooted) st.conditions = markCondition(st.conditions, { type: 'PXEBooted', status: 'True' }, now);
    if (eff.addresses) st.addresses = serverAddresses(peer, eff.addresses);
    s.status = st;
  });
}

function installedNow(ctx: ApplyContext, name: string): boolean {
  const server = ctx.store.get<Server>('Server', name);
  return !!server && isInstalled(server, ctx.store.get<ServerBinding>('ServerBinding', name));
}

/**
 * Apply one event's effect for the Server `name`, reported from `peer`. Resolves once the store has it;
 * rejects when the store refuses (the caller answers Talos with an error, so Talos sends it again).
 */
export async function applyEffect(ctx: ApplyContext, name: string, peer: string, eff: Effect): Promise<void> {
  if (!ctx.store.get('Server', name)) return;
  const now = ctx.now?.() ?? new Date();
  const before = installedNow(ctx, name);
  await updateBinding(ctx, name, eff, now);
  await updateServer(ctx, name, peer, eff, now);
  if (eff.note) ctx.events.emit({ type: 'talos.event', server: name, phase: eff.note.phase, ...(eff.note.detail ? { detail: eff.note.detail } : {}) });
  if (!before && installedNow(ctx, name)) {
    ctx.events.emit({ type: 'boot.installed', server: name, detail: 'Talos reported its install; the next network boot goes to the disk' });
  }
}
