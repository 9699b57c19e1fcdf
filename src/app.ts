import { join } from 'node:path';
import type { Settings } from './config/index.js';
import { ControlServer } from './control/index.js';
import { createControllers, type ControllerManager } from './controllers/index.js';
import { EventBus } from './events/index.js';
import { createHttpService } from './http/index.js';
import { addNetbootServices, findIpxeBinaries, resolveProvisioning } from './netboot.js';
import { PowerController } from './power/index.js';
import { runOp, type ApplianceStatus, type OpsContext } from './ops/index.js';
import { lazyService, ServiceSet } from './services.js';
import { openState } from './state.js';
import type { JsonStore, OpenedStore } from './store/index.js';
import { VERSION } from './version.js';

export interface AppConfig {
  dataDir: string;
  settings: Settings;
  /** True when this start wrote the default settings (the console offers first-start setup). */
  firstStart?: boolean;
}

export interface App {
  config: AppConfig;
  events: EventBus;
  store: JsonStore;
  ops: OpsContext;
  services: ServiceSet;
  controllers: ControllerManager;
  status(): ApplianceStatus;
  start(): Promise<void>;
  stop(reason?: string): Promise<void>;
}

/**
 * Wire the appliance for one data directory: event bus with its audit log, the validated store, the
 * control socket and the network services. No globals: everything hangs off the returned App.
 */
export async function buildApp(config: AppConfig): Promise<App> {
  const events = new EventBus({ audit: { path: join(config.dataDir, 'events.jsonl') } });
  let opened: OpenedStore;
  try {
    opened = await openState({ dataDir: config.dataDir, settings: config.settings, events });
  } catch (e) {
    events.close();
    throw e;
  }
  const services = new ServiceSet(events);
  const provisioning = resolveProvisioning(config.settings);
  const ipxe = await findIpxeBinaries(config.settings.ipxe.paths);
  const startedAt = new Date().toISOString();
  const status = (): ApplianceStatus => ({
    version: VERSION,
    pid: process.pid,
    dataDir: config.dataDir,
    address: provisioning.address,
    interface: provisioning.interface,
    startedAt,
    services: services.status(),
  });
  const ops: OpsContext = { store: opened.store, events, settings: config.settings, dataDir: config.dataDir, services: { status } };
  const control = new ControlServer(config.dataDir, (op, args) => runOp(ops, op, args));
  services.add({ name: 'control', start: () => control.start(), stop: () => control.stop(), describe: () => control.path });
  const controllers = createControllers({ store: opened.store, events, settings: config.settings });
  services.add({ name: 'controllers', start: () => controllers.start(), stop: () => controllers.stop() });
  const power = new PowerController({ store: opened.store, settings: config.settings, events });
  services.add(power);
  ops.services.power = power;
  addNetbootServices(services, { settings: config.settings, events, store: opened.store, dataDir: config.dataDir, provisioning, ipxe });
  const http = createHttpService({ settings: config.settings, store: opened.store, events, dataDir: config.dataDir, ipxeFiles: ipxe.files });
  services.add(http);
  ops.services.assets = { cache: http.cache, keeper: http.keeper };
  // Talos's event sink and kernel log receiver: loaded (gRPC) and started after the network boot services.
  type SinkParts = ReturnType<typeof import('./talos-sink/index.js').createTalosSink>;
  let sinkParts: Promise<SinkParts> | undefined;
  const sink = (): Promise<SinkParts> => (sinkParts ??= import('./talos-sink/index.js').then((m) => m.createTalosSink({ settings: config.settings, store: opened.store, events })));
  services.add(lazyService('events-sink', async () => (await sink()).events, { late: true }));
  services.add(lazyService('kernel-log', async () => (await sink()).kernelLog, { late: true }));

  let stopped = false;
  return {
    config,
    events,
    store: opened.store,
    ops,
    services,
    controllers,
    status,
    start: async () => {
      await services.startAll();
      if (stopped) return; // stopped while starting
      events.emit({ type: 'appliance.started', address: provisioning.address, dataDir: config.dataDir, version: VERSION });
      await services.startLate();
    },
    stop: async (reason = 'stopped by the operator') => {
      if (stopped) return;
      stopped = true;
      events.emit({ type: 'appliance.stopping', reason });
      await services.stopAll();
      await opened.close();
      events.close();
    },
  };
}
