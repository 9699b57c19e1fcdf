/**
 * Metalbox's boot services inside a lab namespace (run with startNode): the real store in a data
 * directory, DHCP (full or proxy), TFTP over the iPXE binaries, and the HTTP service, as the app wires
 * them, without the controllers (the test changes the store itself, as the issue asks). At start the
 * stand-in kernel and initramfs are imported into `default` through the `assets.import` operation.
 * Streams every event as {type: 'event', event}. Ops: get, accept, allocate, install, cordon, expected.
 */
import { defaultSettings, type Settings } from '../../../src/config/index.js';
import type { Environment, Secret, Server } from '../../../src/api/index.js';
import { createDhcpService, parseCidr } from '../../../src/dhcp/index.js';
import { EventBus } from '../../../src/events/index.js';
import { createHttpService } from '../../../src/http/index.js';
import { runOp } from '../../../src/ops/index.js';
import { openState } from '../../../src/state.js';
import { renderServerConfig } from '../../../src/talos/index.js';
import { createTftpService, findIpxeBinaries } from '../../../src/tftp/index.js';
import { allocation } from '../../http/helpers.js';
import { serveChild } from '../../lab/node-child.js';

export interface MetalboxHostConfig {
  /** This box on the provisioning network, e.g. 10.77.4.1/24. */
  cidr: string;
  dataDir: string;
  mode: 'full' | 'proxy';
  /** Full mode's range, e.g. 10.77.4.100-10.77.4.150. */
  range?: string;
  /** Folder with the stand-in's vmlinuz and initramfs.xz, imported into `default`. */
  assets: string;
  parkInterval: number;
}

void serveChild<MetalboxHostConfig>(async (config, emit) => {
  const subnet = parseCidr(config.cidr);
  if (!subnet) throw new Error(`bad cidr ${config.cidr}`);
  const settings: Settings = defaultSettings();
  settings.address = subnet.address;
  settings.dhcp.mode = config.mode;
  settings.dhcp.range = config.range ?? '';
  settings.boot.parkInterval = config.parkInterval;
  const events = new EventBus();
  events.subscribe((r) => emit({ type: 'event', event: r.event as unknown as Record<string, unknown> }));
  const opened = await openState({ dataDir: config.dataDir, settings, events });
  const store = opened.store;
  const found = await findIpxeBinaries(settings.ipxe.paths);
  const http = createHttpService({ settings, store, events, dataDir: config.dataDir, ipxeFiles: found.files });
  const tftp = createTftpService({ settings, events, files: found.files });
  const dhcp = createDhcpService({ settings, events, address: subnet.address, subnet, dataDir: config.dataDir, ipxeBinaries: found.files.keys(), probeWaitMs: 500 });
  await http.start();
  await tftp.start();
  await dhcp.start();
  const ctx = { store, events, settings, dataDir: config.dataDir, services: { assets: { cache: http.cache, keeper: http.keeper } } };
  await runOp(ctx, 'assets.import', { paths: [config.assets], env: 'default' });
  // Under TCG on a loaded host the kernel's boot-time timer check can fail ("IO-APIC + timer doesn't work"):
  // the usual virtual-machine remedy, added to the stand-in's Environment only.
  await store.mutate<Environment>('Environment', 'default', undefined, (e) => {
    e.spec!.kernel!.args = [...(e.spec!.kernel!.args ?? []), 'no_timer_check'];
    return e;
  });
  const change = (name: string, fn: (s: Server) => void) =>
    store.mutate<Server>('Server', name, undefined, (s) => {
      fn(s);
      return s;
    });
  const conditions = (installed: boolean) => (installed ? [{ type: 'PXEBooted', status: 'True' as const, lastTransitionTime: new Date().toISOString() }] : []);
  return {
    ops: {
      get: (a) => store.get(String(a['kind']), String(a['name'])) ?? null,
      accept: (a) => change(String(a['server']), (s) => void (s.spec!.accepted = true)),
      allocate: async (a) => {
        for (const o of allocation(String(a['server']))) if (!store.get(o.kind, o.metadata.name, o.metadata.namespace)) await store.create(o);
        return null;
      },
      install: (a) => change(String(a['server']), (s) => void (s.status = { ...s.status, conditions: conditions(a['installed'] === true) })),
      cordon: (a) => change(String(a['server']), (s) => void (s.spec!.cordoned = a['cordoned'] === true)),
      expected: (a) => {
        const s = store.get<Server>('Server', String(a['server']))!;
        const secret = store.get<Secret>('Secret', 'lab-workers-0-bootstrap', 'default')!;
        return renderServerConfig(Buffer.from(secret.data!['value']!, 'base64').toString('utf8'), { server: { name: s.metadata.name } });
      },
    },
    stop: async () => {
      await dhcp.stop();
      await tftp.stop();
      await http.stop();
      await opened.close();
      events.close();
    },
  };
});
