/** A real HTTP service on a free port over a real store in a temporary data directory. */
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Resource } from '../../src/api/index.js';
import { defaultSettings, type Settings } from '../../src/config/index.js';
import { EventBus, type EventRecord } from '../../src/events/index.js';
import { createHttpService, type HttpService, type HttpServiceOptions } from '../../src/http/index.js';
import { openState } from '../../src/state.js';
import type { JsonStore, OpenedStore } from '../../src/store/index.js';

export interface Rig {
  dir: string;
  store: JsonStore;
  events: EventBus;
  http: HttpService;
  settings: Settings;
  /** `http://127.0.0.1:<port>` */
  base: string;
  records: EventRecord[];
  eventsOf(type: string): Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startRig(o: { settings?: (s: Settings) => void; service?: Partial<HttpServiceOptions> } = {}): Promise<Rig> {
  const dir = await mkdtemp(join(tmpdir(), `mbx-http-${process.pid}-`));
  const settings = defaultSettings();
  o.settings?.(settings);
  const events = new EventBus();
  const records: EventRecord[] = [];
  events.subscribe((r) => records.push(r));
  const opened: OpenedStore = await openState({ dataDir: dir, settings, events });
  const http = createHttpService({ settings, store: opened.store, events, dataDir: dir, port: 0, host: '127.0.0.1', ipxeFiles: new Map(), arp: () => undefined, ...o.service });
  await http.start();
  await http.keeper.idle();
  return {
    dir,
    store: opened.store,
    events,
    http,
    settings,
    base: `http://127.0.0.1:${http.port()}`,
    records,
    eventsOf: (type) => records.filter((r) => r.event.type === type).map((r) => r.event as unknown as Record<string, unknown>),
    close: async () => {
      await http.stop();
      await opened.close();
      events.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
}

/** One HTTP request over a fresh connection, optionally from another loopback address. */
export function fetchRaw(url: string, o: { method?: string; headers?: Record<string, string>; localAddress?: string; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    // Host, port and path given apart, so the request target goes out exactly as written (no URL clean-up).
    const u = /^http:\/\/([^/:]+):(\d+)(\/.*)$/.exec(url);
    if (!u) throw new Error(`not an http URL: ${url}`);
    const opts = { host: u[1], port: Number(u[2]), path: u[3], method: o.method ?? 'GET', headers: o.headers, agent: false, ...(o.localAddress ? { localAddress: o.localAddress } : {}) };
    const req = request(opts, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

export const T0 = '2024-05-01T12:00:00Z';

/** A Machine config a test can recognise. */
export const MACHINE_CONFIG = `version: v1alpha1
debug: false
persist: true
machine:
    type: worker
    token: abcdef.0123456789abcdef
    install:
        disk: /dev/sda
cluster:
    clusterName: lab
    controlPlane:
        endpoint: https://10.77.0.10:6443
`;

/** The objects Sidero's chain walks: ServerBinding -> MetalMachine -> Machine -> Secret. */
export function allocation(server: string, opts: { serverClass?: string; config?: string } = {}): Resource[] {
  return [
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'lab-workers-0-bootstrap', namespace: 'default' }, data: { value: Buffer.from(opts.config ?? MACHINE_CONFIG).toString('base64') } } as Resource,
    {
      apiVersion: 'cluster.x-k8s.io/v1beta1',
      kind: 'Machine',
      metadata: { name: 'lab-workers-0', namespace: 'default' },
      spec: {
        clusterName: 'lab',
        bootstrap: { dataSecretName: 'lab-workers-0-bootstrap' },
        infrastructureRef: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1alpha3', kind: 'MetalMachine', name: 'lab-workers-0', namespace: 'default' },
      },
    },
    {
      apiVersion: 'infrastructure.cluster.x-k8s.io/v1alpha3',
      kind: 'MetalMachine',
      metadata: {
        name: 'lab-workers-0',
        namespace: 'default',
        ownerReferences: [{ apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Machine', name: 'lab-workers-0', uid: '11111111-2222-3333-4444-555555555555' }],
      },
      spec: { serverRef: { kind: 'Server', name: server } },
    },
    {
      apiVersion: 'infrastructure.cluster.x-k8s.io/v1alpha3',
      kind: 'ServerBinding',
      metadata: { name: server },
      spec: { metalMachineRef: { kind: 'MetalMachine', namespace: 'default', name: 'lab-workers-0' }, ...(opts.serverClass ? { serverClassRef: { name: opts.serverClass } } : {}) },
    },
  ];
}

/** Files standing in for a kernel and an initrd, imported into `env` through the `assets.import` operation. */
export async function importFakeAssets(rig: Rig, env = 'default', sizes = { kernel: 300_000, initrd: 700_000 }): Promise<{ kernel: Buffer; initrd: Buffer }> {
  const { writeFile, mkdir } = await import('node:fs/promises');
  const { randomBytes } = await import('node:crypto');
  const { runOp } = await import('../../src/ops/index.js');
  const dir = join(rig.dir, `usb-${env}`);
  await mkdir(dir, { recursive: true });
  const kernel = randomBytes(sizes.kernel);
  const initrd = randomBytes(sizes.initrd);
  await writeFile(join(dir, 'vmlinuz'), kernel);
  await writeFile(join(dir, 'initramfs.xz'), initrd);
  await runOp(opsContext(rig), 'assets.import', { paths: [dir], env });
  return { kernel, initrd };
}

export function opsContext(rig: Rig) {
  return { store: rig.store, events: rig.events, settings: rig.settings, dataDir: rig.dir, services: { assets: { cache: rig.http.cache, keeper: rig.http.keeper } } };
}
