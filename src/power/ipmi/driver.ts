import { setTimeout as sleep } from 'node:timers/promises';
import { MetalboxError } from '../../util/errors.js';
import { authFailed, bmcError, redact, unreachable, unsupported } from '../errors.js';
import { ALL_CAPABILITIES, type BootDevice, type BootOptions, type PowerDriver, type PowerState } from '../types.js';
import * as cmd from './codec.js';
import { IpmitoolFailed, runIpmitool, type IpmiTarget } from './ipmitool.js';

export interface IpmiDriverOptions {
  target: IpmiTarget;
  /** ipmitool binary (name on PATH or a path). */
  bin?: string;
  /** Bound of one operation (all its ipmitool runs and retries), milliseconds. */
  timeoutMs: number;
  /** lanplus cipher suite tried first, and the one tried when the BMC refuses it. */
  cipherSuite: number;
  fallbackCipherSuite: number;
  /** Extra attempts when the BMC says it is busy. */
  retries?: number;
}

/** IPMI over LAN through ipmitool, with Sidero's raw chassis commands. */
export class IpmiDriver implements PowerDriver {
  readonly name = 'ipmi' as const;
  readonly target: string;
  readonly capabilities = ALL_CAPABILITIES;
  private cipher: number;

  constructor(private readonly opts: IpmiDriverOptions) {
    this.target = `BMC ${opts.target.host}:${opts.target.port} (ipmi ${opts.target.interface})`;
    this.cipher = opts.cipherSuite;
  }

  /** The cipher suite in use: the configured one, or the fallback once the BMC refused it. */
  get cipherSuite(): number {
    return this.cipher;
  }

  async status(): Promise<PowerState> {
    const out = await this.operation('read the power state', [cmd.chassisStatus()]);
    return cmd.powerFromChassisStatus(cmd.parseRawBytes(out[0] ?? ''));
  }

  /** Connectivity check: Get Device ID. Returns the firmware revision as the BMC reports it. */
  async check(): Promise<string> {
    const [out] = await this.operation('answer Get Device ID', [cmd.getDeviceId()]);
    const b = cmd.parseRawBytes(out ?? '');
    return b.length >= 4 ? `device id ${b[0]}, firmware ${b[2]! & 0x7f}.${(b[3]! >> 4) * 10 + (b[3]! & 0x0f)}` : 'answered';
  }

  async on(): Promise<void> {
    await this.operation('power on', [cmd.chassisControl('on')]);
  }
  async off(): Promise<void> {
    await this.operation('power off', [cmd.chassisControl('off')]);
  }
  async cycle(): Promise<void> {
    await this.operation('power cycle', [cmd.chassisControl('cycle')]);
  }
  async soft(): Promise<void> {
    await this.operation('shut down softly (ACPI)', [cmd.chassisControl('soft')]);
  }

  /** As goipmi does: set-in-progress (optional), boot info ack, boot flags, commit, complete. */
  async setBootDevice(device: BootDevice, opts: BootOptions = {}): Promise<void> {
    const deadline = Date.now() + this.opts.timeoutMs;
    const what = `set the boot device to ${device}`;
    const inProgress = await this.optional(cmd.setInProgress(1), deadline);
    try {
      await this.run(what, cmd.bootInfoAck(), deadline);
      await this.run(what, cmd.setBootFlags(device, opts), deadline);
      if (inProgress) await this.optional(cmd.setInProgress(2), deadline);
    } finally {
      if (inProgress) await this.optional(cmd.setInProgress(0), deadline);
    }
  }

  async close(): Promise<void> {
    // Every ipmitool run opens and closes its own session.
  }

  private async operation(what: string, commands: string[][]): Promise<string[]> {
    const deadline = Date.now() + this.opts.timeoutMs;
    const out: string[] = [];
    for (const c of commands) out.push(await this.run(what, c, deadline));
    return out;
  }

  /** A step the BMC may refuse without harm (set-in-progress is optional in the spec). */
  private async optional(command: string[], deadline: number): Promise<boolean> {
    try {
      await this.run('set boot options', command, deadline);
      return true;
    } catch (e) {
      if (e instanceof MetalboxError && e.code === 'POWER_UNSUPPORTED') return false;
      throw e;
    }
  }

  /** One command with cipher fallback and bounded retries while the BMC is busy, within the deadline. */
  private async run(what: string, command: string[], deadline: number): Promise<string> {
    let busyLeft = this.opts.retries ?? 2;
    for (let attempt = 0; ; attempt++) {
      const left = deadline - Date.now();
      if (left <= 0) throw unreachable(this.target, `no answer within ${this.opts.timeoutMs / 1000} s`);
      try {
        return await runIpmitool({
          bin: this.opts.bin ?? 'ipmitool',
          target: this.opts.target,
          cipherSuite: this.cipher,
          timeoutMs: left,
          command,
        });
      } catch (e) {
        if (!(e instanceof IpmitoolFailed)) throw e;
        const f = e.failure;
        if (f.kind === 'cipher' && this.cipher !== this.opts.fallbackCipherSuite) {
          this.cipher = this.opts.fallbackCipherSuite;
          continue;
        }
        if (f.kind === 'busy' && busyLeft-- > 0) {
          await sleep(Math.min(200 * 2 ** attempt, Math.max(0, deadline - Date.now())));
          continue;
        }
        throw this.toError(what, f);
      }
    }
  }

  private toError(what: string, f: cmd.IpmiFailure): MetalboxError {
    const detail = redact(f.detail, [this.opts.target.password]);
    switch (f.kind) {
      case 'auth':
        return authFailed(this.target, detail);
      case 'privilege':
        return authFailed(this.target, `the user may not ${what}: ${detail}`);
      case 'cipher':
        return unsupported(
          this.target,
          `agree on a cipher suite (tried ${this.opts.cipherSuite} and ${this.opts.fallbackCipherSuite}: ${detail})`,
          'set power.ipmiCipherSuite in metalbox.yaml, or the annotation metalbox.dev/ipmi-cipher-suite on the server, to one the BMC offers (ipmitool lan print shows them)',
        );
      case 'unsupported':
        return unsupported(this.target, `${what} (${detail})`, 'this BMC does not implement that command, or not in the current power state');
      case 'unreachable':
        return unreachable(this.target, detail);
      case 'busy':
        return bmcError(this.target, `still busy after retries: ${detail}`);
      case 'bmc':
        return bmcError(this.target, `${what}: ${detail}`);
    }
  }
}
