import { VERSION } from '../version.js';
import { defineOps } from './registry.js';
import type { ApplianceStatus, EventRecord, OpsContext } from './types.js';

/** What is running: services and their states; a one-shot CLI process reports only itself. */
async function status(ctx: OpsContext): Promise<ApplianceStatus> {
  if (ctx.services.status) return ctx.services.status();
  return {
    version: VERSION,
    pid: process.pid,
    dataDir: ctx.dataDir,
    address: ctx.settings.address,
    interface: ctx.settings.interface,
    startedAt: new Date().toISOString(),
    services: [],
  };
}

async function recentEvents(ctx: OpsContext, args: { n?: number; server?: string }): Promise<EventRecord[]> {
  if (args.server) return ctx.events.timeline(args.server);
  return ctx.events.recent(args.n ?? 100);
}

defineOps({
  'appliance.status': status,
  'events.recent': recentEvents,
});
