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

  async startAll(): Promise<void> {
    for (const e of this.entries) {
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
