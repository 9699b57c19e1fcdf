/**
 * The power controller: keeps one driver per Server (rebuilt when its BMC settings change), polls each
 * server's power state (every power.pollInterval, jittered, and at once after an action), records
 * `status.power`, emits power.* events, and runs power actions, never talking to more than
 * power.maxConcurrent BMCs at once.
 */
import { annotations as A, type Server } from '../api/index.js';
import type { Settings } from '../config/index.js';
import type { EventBus, PowerAction, PowerState } from '../events/index.js';
import type { Store, WatchEvent } from '../store/index.js';
import { errorMessage, MetalboxError } from '../util/errors.js';
import { performAction, type ActionResult } from './actions.js';
import { oneLine } from './errors.js';
import { findIpmitool } from './ipmi/ipmitool.js';
import { lifecycleStep, phaseOf } from './lifecycle.js';
import { PowerLimiter } from './limiter.js';
import { bootOptionsOf, driverKey, keepsPin, type Entry } from './entry.js';
import { driverNameOf, powerDriverFor, type DriverContext } from './select.js';
import type { BootOptions, PowerDriver } from './types.js';
import type { ProvisioningAddress } from './wol.js';

export interface PowerControllerOptions {
  store: Store;
  settings: Settings;
  events: EventBus;
  /** The provisioning interface's address for Wake-on-LAN; default from settings. */
  provisioning?: () => ProvisioningAddress;
}


export interface PowerActionResult extends ActionResult {
  server: string;
  driver: string;
}

export class PowerController {
  readonly name = 'power' as const;
  private readonly limiter: PowerLimiter;
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Set<Promise<unknown>>();
  private unwatch: (() => void) | undefined;
  /** Polling (after start); a controller that was never started still runs actions (one-shot CLI). */
  private running = false;
  private stopped = false;
  private ipmitool: string | undefined;
  private ipmitoolProblem: MetalboxError | undefined;

  constructor(private readonly opts: PowerControllerOptions) {
    this.limiter = new PowerLimiter(opts.settings.power.maxConcurrent);
  }

  async start(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    this.findTool();
    this.unwatch = this.opts.store.watch((e) => this.onChange(e), { kinds: ['Server', 'Secret'] });
    const first = Math.min(this.intervalMs(), 1000);
    for (const s of this.opts.store.list<Server>('Server')) this.sync(s, Math.random() * first);
  }

  /** Stop polling, let operations in progress finish, and close the drivers (Redfish sessions). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.running = false;
    this.stopped = true;
    this.unwatch?.();
    for (const e of this.entries.values()) clearTimeout(e.timer);
    await Promise.allSettled([...this.inflight]);
    await Promise.allSettled([...this.entries.values()].map((e) => e.driver?.close()));
    this.entries.clear();
  }

  /** A line for the console header. */
  describe(): string {
    const n = this.entries.size;
    const tool = this.ipmitoolProblem ? '; ipmitool missing: sudo apt-get install ipmitool' : '';
    return `${n} server${n === 1 ? '' : 's'}, ${this.opts.settings.power.maxConcurrent} BMCs at once${tool}`;
  }

  /** Operations on BMCs in progress now, and waiting for a slot. */
  get load(): { active: number; waiting: number } {
    return { active: this.limiter.active, waiting: this.limiter.waiting };
  }

  /**
   * Run a power action on a server (through the limiter), emit power.action, and read the power state
   * at once afterwards. `pxe` and `disk` boot the server from there now (Sidero's lifecycle step).
   */
  async act(server: string, action: PowerAction, boot?: BootOptions): Promise<PowerActionResult> {
    const s = this.opts.store.get<Server>('Server', server);
    if (!s) throw new MetalboxError('POWER_NO_SERVER', `there is no server ${server}`, { hint: 'list them with: metalbox get servers' });
    if (this.stopped) throw new MetalboxError('POWER_STOPPED', 'power control is shutting down', { hint: 'try again once Metalbox has restarted' });
    const entry = this.entries.get(server) ?? this.sync(s, undefined);
    if (!entry.driver) throw entry.problem ?? new MetalboxError('POWER_CONFIG_INVALID', `server ${server} has no power driver`);
    const driver = entry.driver;
    const bootOpts = boot ?? bootOptionsOf(s);
    try {
      const result = await this.track(this.limiter.run(server, () => performAction(driver, action, bootOpts)));
      if (action !== 'status') this.opts.events.emit({ type: 'power.action', server, driver: driver.name, action, ok: true });
      if (result.power && action === 'status') await this.record(server, driver.name, result.power, undefined);
      else this.schedule(server, 0);
      return { server, driver: driver.name, ...result };
    } catch (e) {
      this.opts.events.emit({ type: 'power.action', server, driver: driver.name, action, ok: false, error: oneLine(e) });
      this.schedule(server, 0);
      throw e;
    }
  }

  /** ipmitool, looked up at start and again whenever an IPMI driver is built while it is missing. */
  private findTool(): MetalboxError | undefined {
    try {
      this.ipmitool = findIpmitool();
      this.ipmitoolProblem = undefined;
    } catch (e) {
      this.ipmitoolProblem = e as MetalboxError;
    }
    return this.ipmitoolProblem;
  }

  private intervalMs(): number {
    return this.opts.settings.power.pollInterval * 1000;
  }

  private onChange(e: WatchEvent): void {
    if (!this.running) return;
    if (e.object.kind === 'Secret') {
      for (const s of this.opts.store.list<Server>('Server')) this.sync(s, undefined);
      return;
    }
    if (e.type === 'DELETED') return this.forget(e.object.metadata.name);
    const entry = this.sync(e.object as Server, undefined);
    // A server that changes phase (allocated, released, wiped, accepted) is looked at now, not at the next poll.
    const phase = phaseOf(e.object as Server);
    if (entry.phase !== undefined && entry.phase !== phase) this.schedule(e.object.metadata.name, 0);
    entry.phase = phase;
  }

  /** Make the entry match the server; a new or changed driver is polled after `delayMs` (or soon). */
  private sync(server: Server, delayMs: number | undefined): Entry {
    const name = server.metadata.name;
    const key = driverKey(server, this.opts.store);
    const old = this.entries.get(name);
    if (old && old.key === key && keepsPin(old, server.metadata.annotations?.[A.BMC_CERT_SHA256])) return old;
    if (old) {
      clearTimeout(old.timer);
      this.retire(name, old.driver);
    }
    const entry: Entry = {
      key,
      driver: undefined,
      problem: undefined,
      timer: undefined,
      reason: old?.reason,
      phase: old?.phase ?? phaseOf(server),
      ...(old?.last ? { last: old.last } : {}),
      pinRecorded: !!server.metadata.annotations?.[A.BMC_CERT_SHA256],
    };
    try {
      if (driverNameOf(server) === 'ipmi' && (this.ipmitool === undefined || this.ipmitoolProblem)) {
        const missing = this.findTool();
        if (missing) throw missing;
      }
      entry.driver = powerDriverFor(server, this.driverContext());
    } catch (e) {
      entry.problem = e instanceof MetalboxError ? e : new MetalboxError('POWER_CONFIG_INVALID', errorMessage(e), { cause: e });
    }
    this.entries.set(name, entry);
    this.schedule(name, delayMs ?? Math.random() * 500);
    return entry;
  }

  private driverContext(): DriverContext {
    return {
      store: this.opts.store,
      settings: this.opts.settings,
      events: this.opts.events,
      ...(this.ipmitool ? { ipmitool: this.ipmitool } : {}),
      ...(this.opts.provisioning ? { provisioning: this.opts.provisioning } : {}),
      onPinned: (server, fp) => void this.pin(server, fp),
    };
  }

  private forget(name: string): void {
    const e = this.entries.get(name);
    if (!e) return;
    clearTimeout(e.timer);
    this.retire(name, e.driver);
    this.entries.delete(name);
  }

  /** Close a replaced driver once the server's operation in progress (if any) has finished. */
  private retire(name: string, driver: PowerDriver | undefined): void {
    if (driver) void this.track(this.limiter.run(name, () => driver.close()).catch(() => undefined));
  }

  private schedule(name: string, delayMs: number): void {
    const e = this.entries.get(name);
    if (!e || !this.running) return;
    clearTimeout(e.timer);
    e.timer = setTimeout(() => void this.track(this.poll(name)), delayMs);
    e.timer.unref?.();
  }

  private async poll(name: string): Promise<void> {
    const e = this.entries.get(name);
    if (!e || !this.running) return;
    const driver = e.driver;
    let power: PowerState = 'unknown';
    let reason = e.problem ? oneLine(e.problem) : undefined;
    if (driver?.capabilities.status) {
      try {
        power = await this.limiter.run(name, () => driver.status());
      } catch (err) {
        reason = oneLine(err);
      }
      if (this.entries.get(name) !== e) return; // rebuilt meanwhile: the new driver polls itself
    }
    try {
      await this.record(name, driver?.name ?? 'none', power, reason);
    } catch (err) {
      this.opts.events.emit({ type: 'controller.error', controller: 'power', key: `Server/${name}`, error: errorMessage(err) });
    }
    if (driver) await this.lifecycle(name, e, driver, power);
    // Only a driver that can read the state is polled again; the others stay unknown until rebuilt.
    if (driver?.capabilities.status) this.schedule(name, this.intervalMs() * (0.9 + Math.random() * 0.2));
  }

  /** Take the server's lifecycle step, if its phase calls for one (lifecycle.ts). */
  private async lifecycle(name: string, e: Entry, driver: PowerDriver, power: PowerState): Promise<void> {
    const server = this.opts.store.get<Server>('Server', name);
    if (!server || !this.running || this.entries.get(name) !== e) return;
    const now = Date.now();
    const step = lifecycleStep({ server, mode: this.opts.settings.power.lifecycle, driver: driver.name, capabilities: driver.capabilities, power, last: e.last, now });
    if (!step) return;
    e.last = { phase: phaseOf(server), action: step.action, at: now };
    this.opts.events.emit({ type: 'power.lifecycle', server: name, action: step.action, why: step.why });
    await this.act(name, step.action).catch(() => undefined); // act() says what failed (power.action)
  }

  /** Write status.power when it changed, and say so (with the reason when it is unknown). */
  private async record(name: string, driver: string, power: PowerState, reason: string | undefined): Promise<void> {
    if (this.stopped) return;
    const e = this.entries.get(name);
    const current = this.opts.store.get<Server>('Server', name);
    if (!current) return;
    const previous = current.status?.power;
    const reasonChanged = e !== undefined && e.reason !== reason;
    if (e) e.reason = reason;
    if (previous !== power) {
      try {
        await this.opts.store.mutate<Server>('Server', name, undefined, (s) => {
          if (s.status?.power === power) return undefined;
          s.status = { ...s.status, power };
          return s;
        });
      } catch (err) {
        if (!(err instanceof MetalboxError && err.code === 'STORE_NOT_FOUND')) throw err;
        return;
      }
    }
    if (previous !== power || (reasonChanged && reason)) {
      this.opts.events.emit({ type: 'power.state', server: name, driver, power, ...(previous ? { previous } : {}), ...(reason ? { reason } : {}) });
    }
  }

  /** Record the certificate trust-on-first-use pinned, so the next connection requires it. */
  private async pin(server: string, fingerprint: string): Promise<void> {
    await this.track(
      this.opts.store
        .mutate<Server>('Server', server, undefined, (s) => {
          const ann = (s.metadata.annotations ??= {});
          if (ann[A.BMC_CERT_SHA256] || ann[A.BMC_INSECURE] === 'true') return undefined;
          ann[A.BMC_CERT_SHA256] = fingerprint;
          return s;
        })
        .catch(() => undefined),
    );
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p)).catch(() => undefined);
    return p;
  }
}
