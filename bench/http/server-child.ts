/**
 * Metalbox's HTTP service alone in a process, for the HTTP benchmarks (so its RSS is its own): a data
 * directory with `initrd` imported into Environment `default`, and `servers` Servers in the store.
 * Prints `READY <port>` when serving; exits when stdin closes. Argument: JSON {dataDir, initrd, kernel, servers}.
 */
import { createInterface } from 'node:readline';
import type { Resource } from '../../src/api/index.js';
import { defaultSettings } from '../../src/config/index.js';
import { EventBus } from '../../src/events/index.js';
import { createHttpService } from '../../src/http/index.js';
import { runOp } from '../../src/ops/index.js';
import { openState } from '../../src/state.js';

interface Config {
  dataDir: string;
  /** Folder with vmlinuz and initramfs.xz to import into `default`. */
  assets: string;
  servers: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const settings = defaultSettings();
const events = new EventBus();
const opened = await openState({ dataDir: config.dataDir, settings, events });
const store = opened.store;
const http = createHttpService({ settings, store, events, dataDir: config.dataDir, port: 0, host: '127.0.0.1', ipxeFiles: new Map(), arp: () => undefined });
await http.start();
await runOp({ store, events, settings, dataDir: config.dataDir, services: { assets: { cache: http.cache, keeper: http.keeper } } }, 'assets.import', { paths: [config.assets], env: 'default' });

/** Servers as discovery leaves them: accepted, hardware with one NIC; every tenth cordoned. */
const writes: Promise<Resource>[] = [];
for (let i = 0; i < config.servers; i++) {
  const hex = i.toString(16).padStart(12, '0');
  const mac = hex.match(/../g)!.join(':');
  writes.push(
    store.create({
      apiVersion: 'metal.sidero.dev/v1alpha2',
      kind: 'Server',
      metadata: { name: `00000000-0000-4000-8000-${hex}` },
      spec: {
        accepted: true,
        cordoned: i % 10 === 0,
        hardware: { system: { uuid: `00000000-0000-4000-8000-${hex}`, manufacturer: 'Bench', productName: 'Unit', serialNumber: `S${i}` }, network: { interfaceCount: 1, interfaces: [{ index: 0, mac }] } },
      },
    } as Resource),
  );
}
await Promise.all(writes);
process.stdout.write(`READY ${http.port()}\n`);
createInterface({ input: process.stdin }).on('close', () => {
  void http.stop().then(() => opened.close()).then(() => process.exit(0));
});
