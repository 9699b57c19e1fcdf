/**
 * Talos's side of the event sink, for tests: a real gRPC client built with @grpc/grpc-js from the same
 * .proto files, publishing events as Talos's events sink controller does (one unary Publish per event,
 * the event a google.protobuf.Any), and the event sequence a real PXE install produces, taken from Talos's
 * machined (internal/app/machined/pkg/runtime/v1alpha1: v1alpha1_sequencer.go for the phases of the
 * initialize, install and boot sequences; v1alpha1_controller.go for how they are reported: a START and a
 * STOP per sequence and phase, and the installer's closing reboot reported as the install sequence
 * failing with `unix.Reboot(1234567)`).
 */
import { credentials, loadPackageDefinition, type Client, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { EVENTS_PROTO, loadEventMessages, protoDir } from '../../src/talos-sink/index.js';

type PublishFn = (req: unknown, cb: (err: ServiceError | null, res?: unknown) => void) => void;
type SinkClient = Client & { Publish: PublishFn };

export type Payload = [type: string, body: Record<string, unknown>];

const root = loadEventMessages();

/** Encode an event as the Any Talos sends. */
export function anyOf([type, body]: Payload): { type_url: string; value: Buffer } {
  const t = root.lookupType(type);
  return { type_url: `type.googleapis.com/${type}`, value: Buffer.from(t.encode(t.fromObject(body)).finish()) };
}

export class TalosSinkClient {
  private readonly client: SinkClient;
  private n = 0;

  constructor(target: string) {
    const def = loadSync([EVENTS_PROTO], { includeDirs: [protoDir()], keepCase: true, longs: String, enums: String, defaults: true });
    const pkg = loadPackageDefinition(def) as unknown as { events: { EventSinkService: new (t: string, c: ReturnType<typeof credentials.createInsecure>) => SinkClient } };
    this.client = new pkg.events.EventSinkService(target, credentials.createInsecure());
  }

  /** Publish raw EventRequest fields; resolves with the gRPC status code (0 = OK). */
  request(req: { id?: string; data?: { type_url: string; value: Buffer } }): Promise<number> {
    return new Promise((resolve) => {
      this.client.Publish(req, (err) => resolve(err ? err.code : 0));
    });
  }

  publish(p: Payload): Promise<number> {
    return this.request({ id: `evt-${++this.n}`, data: anyOf(p) });
  }

  /** Publish in order, each after the previous was answered (as Talos does); the status codes. */
  async publishAll(ps: Payload[]): Promise<number[]> {
    const out: number[] = [];
    for (const p of ps) out.push(await this.publish(p));
    return out;
  }

  close(): void {
    this.client.close();
  }
}

const seq = (sequence: string, action: 'START' | 'STOP' | 'NOOP', error?: { code: 'FATAL' | 'LOCKED' | 'CANCELED'; message: string }): Payload => [
  'machine.SequenceEvent',
  { sequence, action, ...(error ? { error } : {}) },
];
const phase = (name: string, action: 'START' | 'STOP'): Payload => ['machine.PhaseEvent', { phase: name, action }];
const task = (name: string, action: 'START' | 'STOP'): Payload => ['machine.TaskEvent', { task: name, action }];
const service = (name: string, action: string, message: string): Payload => ['machine.ServiceStateEvent', { service: name, action, message }];
const stage = (s: string, ready = false): Payload => ['machine.MachineStatusEvent', { stage: s, status: { ready, unmet_conditions: ready ? [] : [{ name: 'nodeReady', reason: 'node not ready' }] } }];

function phases(names: [phase: string, tasks: string[]][]): Payload[] {
  return names.flatMap(([p, tasks]) => [phase(p, 'START'), ...tasks.flatMap((t) => [task(t, 'START'), task(t, 'STOP')]), phase(p, 'STOP')]);
}

export const REBOOT_ERROR = 'sequence failed: error running phase 13 in install sequence: task 1/1: failed, unix.Reboot(1234567)';

/** Talos booted from the network, up to (and with) the installer's reboot. */
export function pxeInstall(address: string, hostname = 'talos-abc-def'): Payload[] {
  return [
    seq('initialize', 'START'),
    ...phases([
      ['logger', ['setupLogger']],
      ['systemRequirements', ['enforceKSPPRequirements', 'setupSystemDirectory', 'mountBPFFS', 'mountCgroups']],
      ['etc', ['createSystemCgroups', 'createOSReleaseFile']],
      ['config', ['loadConfig']],
    ]),
    service('machined', 'RUNNING', 'Service started as goroutine'),
    ['machine.AddressEvent', { hostname, addresses: [address, 'fd00:77::5'] }],
    seq('initialize', 'STOP'),
    seq('install', 'START'),
    stage('INSTALLING'),
    ...phases([
      ['validateConfig', ['validateConfig']],
      ['env', ['setUserEnvVars']],
      ['containerd', ['startContainerd']],
      ['install', ['install']],
      ['mountState', ['mountStatePartition']],
      ['saveConfig', ['saveConfig']],
      ['unmountState', ['unmountStatePartition']],
      ['stopEverything', ['stopAllServices']],
      ['mountBoot', ['mountBootPartition']],
      ['kexec', ['kexecPrepare']],
      ['unmountBoot', ['unmountBootPartition']],
    ]),
    phase('reboot', 'START'),
    task('reboot', 'START'),
    task('reboot', 'STOP'),
    phase('reboot', 'STOP'),
    seq('install', 'STOP'),
    seq('install', 'NOOP', { code: 'FATAL', message: REBOOT_ERROR }),
    stage('REBOOTING'),
  ];
}

/** The installed Talos booting from its disk (the install sequence has nothing to do then). */
export function diskBoot(address: string, hostname = 'talos-abc-def'): Payload[] {
  return [
    seq('initialize', 'START'),
    ...phases([['config', ['loadConfig']]]),
    ['machine.AddressEvent', { hostname, addresses: [address] }],
    seq('initialize', 'STOP'),
    seq('install', 'START'),
    seq('install', 'STOP'),
    seq('boot', 'START'),
    ...phases([
      ['validateConfig', ['validateConfig']],
      ['saveConfig', ['saveConfig']],
      ['startEverything', ['startAllServices']],
    ]),
    service('kubelet', 'RUNNING', 'Health check successful'),
    stage('RUNNING', true),
    seq('boot', 'STOP'),
  ];
}

/** A config Talos cannot use: the validation error, then the install sequence failing for real. */
export function badConfig(): Payload[] {
  return [
    seq('install', 'START'),
    ['machine.ConfigValidationErrorEvent', { error: '1 error occurred:\n\t* install disk or diskSelector should be defined\n' }],
    phase('install', 'START'),
    seq('install', 'NOOP', { code: 'FATAL', message: 'sequence failed: error running phase 2 in install sequence: task 1/1: failed, failed to find the install disk' }),
  ];
}
