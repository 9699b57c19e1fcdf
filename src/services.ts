import type { EventBus, ServiceName, ServiceState } from './events/index.js';
import type { ServiceStatus } from './ops/index.js';
import { errorMessage } from './util/errors.js';

/** A long-running part of the appliance (DHCP, TFTP, HTTP, controllers …) that the app starts and stops. */
export interface Service {
  name: ServiceName;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** A short line for the console header, e.g. "proxy on eth1" or "8081". */
  describe?(): string;
  /**
   * Started after the appliance reports itself started: a service a booting machine does not need first
   * (Talos's event sink and kernel log receiver, used once Talos runs, minutes later), whose code is
   * loaded only then.
   */
  late?: boolean;
}

/**
 * A service whose module is imported when it starts (for example the gRPC event sink, whose libraries cost
 * more to load than the rest of the appliance together), so that neither a CLI command nor the start of the
 * network boot services pays for it.
 */
export function lazyService(name: ServiceName, load: () => Promise<Service>, opts: { late?: boolean } = {}): Service {
  let loaded: Promise<Service> | undefined;
  let svc: Service | undefined;
  const get = () => (loaded ??= load().then((s) => (svc = s)));
  return {
    name,
    ...(opts.late ? { late: true } : {}),
    start: async () => (await get()).start(),
    stop: async () => {
      if (loaded) await (await loaded).stop();
    },
    describe: () => svc?.describe?.() ?? '',
  };
}

/**
 * Starts services one by one; a service that fails to start is shown as failed with its reason and the
 * rest of the appliance keeps running (for example DHCP without privilege for port 67).
 */
export class ServiceSet {
  private readonly entries: { svc: Service; state: ServiceState; detail?: string }[] = [];

  constructor(private readonly events: EventBus) {}

  add(svc: Service, state: ServiceState = 'stopped', detail?: string): void {
    this.entries.push({ svc, state, ...(detail ? { detail } : {}) });
  }

  /** Record a service that is deliberately not running (for example DHCP in `off` mode). */
  disabled(name: ServiceName, detail: string): void {
    this.add({ name, start: async () => undefined, stop: async () => undefined }, 'disabled', detail);
  }

  /** Starts in progress: stopAll lets the service being started finish starting, then stops everything. */
  private readonly runs = new Set<Promise<void>>();
  private stopping = false;

  /** Start every service but the late ones, in order. */
  startAll(): Promise<void> {
    return this.run(this.entries.filter((e) => !e.svc.late));
  }

  /** Start the late services (see Service.late). */
  startLate(): Promise<void> {
    return this.run(this.entries.filter((e) => e.svc.late));
  }

  private run(entries: typeof this.entries): Promise<void> {
    const p = this.startEach(entries).finally(() => this.runs.delete(p));
    this.runs.add(p);
    return p;
  }

  private async startEach(entries: typeof this.entries): Promise<void> {
    for (const e of entries) {
      if (this.stopping) return;
      if (e.state === 'disabled') {
        this.events.emit({ type: 'service.state', service: e.svc.name, state: 'disabled', ...(e.detail ? { detail: e.detail } : {}) });
        continue;
      }
      this.set(e, 'starting');
      try {
        await e.svc.start();
        this.set(e, 'running', e.svc.describe?.());
      } catch (err) {
        this.set(e, 'failed', errorMessage(err));
      }
    }
  }

  async stopAll(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.runs]);
    for (const e of [...this.entries].reverse()) {
      if (e.state !== 'running') continue;
      try {
        await e.svc.stop();
        this.set(e, 'stopped');
      } catch (err) {
        this.set(e, 'failed', `stopping: ${errorMessage(err)}`);
      }
    }
  }

  status(): ServiceStatus[] {
    return this.entries.map((e) => ({ name: e.svc.name, state: e.state, ...(e.detail ? { detail: e.detail } : {}) }));
  }

  private set(e: { svc: Service; state: ServiceState; detail?: string }, state: ServiceState, detail?: string): void {
    e.state = state;
    if (detail === undefined) delete e.detail;
    else e.detail = detail;
    this.events.emit({ type: 'service.state', service: e.svc.name, state, ...(detail ? { detail } : {}) });
  }
}
