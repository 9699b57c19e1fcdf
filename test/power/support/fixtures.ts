import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Resource, Server } from '../../../src/api/index.js';
import { defaultSettings, type Settings } from '../../../src/config/index.js';
import { EventBus, formatEvent, type EventRecord } from '../../../src/events/index.js';
import { isNamespaced, validateForStore } from '../../../src/state.js';
import { openStore, type OpenedStore } from '../../../src/store/index.js';

export function server(name: string, spec: Partial<NonNullable<Server['spec']>> = {}, annotations: Record<string, string> = {}): Server {
  return {
    apiVersion: 'metal.sidero.dev/v1alpha2',
    kind: 'Server',
    metadata: { name, annotations },
    spec: { accepted: true, ...spec },
  };
}

export function secret(name: string, data: Record<string, string>): Resource {
  const b64: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) b64[k] = Buffer.from(v).toString('base64');
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'default' }, data: b64 } as unknown as Resource;
}

export function testSettings(over: Partial<Settings['power']> = {}): Settings {
  const s = defaultSettings();
  // The lifecycle's own steps are tested on their own (lifecycle.test.ts); elsewhere they would act behind the tests' backs.
  s.power = { ...s.power, pollInterval: 1, timeout: 3, ipmiCipherSuite: 3, lifecycle: 'off', ...over };
  return s;
}

/** A real store (validated by the resource model, as the appliance opens it) in a temporary data directory, and an event bus that keeps everything it saw. */
export class Rig {
  readonly dir = mkdtempSync(join(tmpdir(), `power-store-${process.pid}-`));
  readonly events = new EventBus();
  readonly seen: EventRecord[] = [];
  opened!: OpenedStore;

  async open(): Promise<this> {
    this.opened = await openStore({ dataDir: this.dir, isNamespaced, validate: validateForStore, lock: false });
    this.events.subscribe((r) => this.seen.push(r));
    return this;
  }

  get store(): OpenedStore['store'] {
    return this.opened.store;
  }

  power(name: string): string | undefined {
    return this.store.get<Server>('Server', name)?.status?.power;
  }

  /** Everything said about power, as the console and the log would show it, plus the raw events. */
  transcript(): string {
    return this.seen.map((r) => `${formatEvent(r.event)} ${JSON.stringify(r.event)}`).join('\n');
  }

  async close(): Promise<void> {
    await this.opened?.close();
    this.events.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export async function until(cond: () => boolean, ms: number, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
