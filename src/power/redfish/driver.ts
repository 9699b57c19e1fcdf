import { unsupported } from '../errors.js';
import { ALL_CAPABILITIES, type BootDevice, type BootOptions, type PowerDriver, type PowerState } from '../types.js';
import { odataId, RedfishClient, type RedfishClientOptions } from './client.js';

export interface RedfishDriverOptions extends RedfishClientOptions {
  /** The ComputerSystem to drive: its id or path; default the first member of /redfish/v1/Systems. */
  system?: string;
  /** Called when trust-on-first-use pins the BMC's certificate, so it can be recorded on the Server. */
  onPinned?: (fingerprint: string) => void;
}

interface SystemInfo {
  path: string;
  etag: string | undefined;
  powerState: unknown;
  resetTarget: string | undefined;
  resetTypes: string[] | undefined;
  bootTargets: string[] | undefined;
}

/** Which Redfish ResetType does each action, in order of preference. */
const RESET_TYPES = {
  on: ['On', 'ForceOn'],
  off: ['ForceOff'],
  cycle: ['ForceRestart', 'PowerCycle'],
  soft: ['GracefulShutdown'],
} as const;

/** Redfish (DMTF DSP0266): ComputerSystem PowerState, the Reset action, and Boot source override. */
export class RedfishDriver implements PowerDriver {
  readonly name = 'redfish' as const;
  readonly target: string;
  readonly capabilities = ALL_CAPABILITIES;
  private readonly client: RedfishClient;
  private systemPath: string | undefined;

  constructor(private readonly opts: RedfishDriverOptions) {
    this.client = new RedfishClient(opts);
    this.client.onPinned = opts.onPinned;
    this.target = this.client.target;
  }

  /** The certificate fingerprint in force. */
  get fingerprint(): string | undefined {
    return this.client.fingerprint;
  }

  async status(): Promise<PowerState> {
    const s = await this.system(this.client.deadline());
    if (s.powerState === 'On' || s.powerState === 'PoweringOn') return 'on';
    if (s.powerState === 'Off' || s.powerState === 'PoweringOff') return 'off';
    return 'unknown';
  }

  async check(): Promise<string> {
    const s = await this.system(this.client.deadline());
    return `${s.path} is ${String(s.powerState ?? 'unknown')}`;
  }

  on(): Promise<void> {
    return this.reset('on');
  }
  off(): Promise<void> {
    return this.reset('off');
  }
  cycle(): Promise<void> {
    return this.reset('cycle');
  }
  soft(): Promise<void> {
    return this.reset('soft');
  }

  async setBootDevice(device: BootDevice, opts: BootOptions = {}): Promise<void> {
    const deadline = this.client.deadline();
    const s = await this.system(deadline);
    const target = device === 'pxe' ? 'Pxe' : 'Hdd';
    if (s.bootTargets && !s.bootTargets.includes(target)) {
      throw unsupported(this.target, `boot from ${target} (it offers ${s.bootTargets.join(', ')})`);
    }
    const boot: Record<string, string> = {
      BootSourceOverrideTarget: target,
      BootSourceOverrideEnabled: opts.persistent ? 'Continuous' : 'Once',
    };
    if (opts.uefi !== undefined) boot['BootSourceOverrideMode'] = opts.uefi ? 'UEFI' : 'Legacy';
    const res = await this.client.call('PATCH', s.path, { Boot: boot }, s.etag ? { 'If-Match': s.etag } : {}, deadline);
    if (res.status !== 200 && res.status !== 202 && res.status !== 204) throw this.client.httpError(`set the boot override to ${target}`, res);
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private async reset(action: keyof typeof RESET_TYPES): Promise<void> {
    const deadline = this.client.deadline();
    const s = await this.system(deadline);
    if (!s.resetTarget) throw unsupported(this.target, `${action}: ${s.path} has no #ComputerSystem.Reset action`);
    const wanted: readonly string[] = RESET_TYPES[action];
    const type = s.resetTypes ? wanted.find((t) => s.resetTypes!.includes(t)) : wanted[0];
    if (!type) throw unsupported(this.target, `${action}: it allows only ${s.resetTypes!.join(', ')}`);
    const res = await this.client.call('POST', s.resetTarget, { ResetType: type }, {}, deadline);
    if (res.status !== 200 && res.status !== 202 && res.status !== 204) throw this.client.httpError(`reset (${type})`, res);
  }

  /** The ComputerSystem, found once from the Systems collection. */
  private async system(deadline: number): Promise<SystemInfo> {
    if (!this.systemPath) this.systemPath = await this.findSystem(deadline);
    const res = await this.client.getJson(this.systemPath, deadline);
    const b = res.body;
    const reset = (b['Actions'] as Record<string, Record<string, unknown>> | undefined)?.['#ComputerSystem.Reset'];
    const boot = b['Boot'] as Record<string, unknown> | undefined;
    return {
      path: this.systemPath,
      etag: res.headers['etag'] ?? (typeof b['@odata.etag'] === 'string' ? b['@odata.etag'] : undefined),
      powerState: b['PowerState'],
      resetTarget: typeof reset?.['target'] === 'string' ? reset['target'] : undefined,
      resetTypes: stringList(reset?.['ResetType@Redfish.AllowableValues']),
      bootTargets: stringList(boot?.['BootSourceOverrideTarget@Redfish.AllowableValues']),
    };
  }

  private async findSystem(deadline: number): Promise<string> {
    const want = this.opts.system;
    if (want?.startsWith('/')) return want;
    const res = await this.client.getJson('/redfish/v1/Systems', deadline);
    const members = Array.isArray(res.body['Members']) ? res.body['Members'].map(odataId).filter((m): m is string => !!m) : [];
    const found = want ? members.find((m) => m.replace(/\/$/, '').split('/').pop() === want) : members[0];
    if (!found) {
      throw unsupported(
        this.target,
        want ? `find the system ${want} (it has ${members.join(', ') || 'none'})` : 'list any ComputerSystem under /redfish/v1/Systems',
        'set the annotation metalbox.dev/redfish-system to the system\'s id or path',
      );
    }
    return found;
  }
}

function stringList(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
}
