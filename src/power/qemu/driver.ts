import { errnoCode } from '../../util/errors.js';
import { bmcError, unreachable, unsupported } from '../errors.js';
import { NO_CAPABILITIES, type PowerDriver, type PowerState } from '../types.js';
import { QmpError, withQmp, type QmpExecute } from './qmp.js';

export interface QemuDriverOptions {
  /** The VM's QMP endpoint: `unix:/path` (`-qmp unix:<path>,server,wait=off`), a socket path, or `host:port`. */
  qmp: string;
  timeoutMs: number;
}

/**
 * A QEMU virtual machine as a server, for the lab and the demo rack. "Off" is a paused VM held at reset
 * (start QEMU with -S to begin off); "on" resumes it; a guest that powered itself off under -no-shutdown
 * is reset and resumed. The boot device is QEMU's -boot order, which QMP cannot change.
 */
export class QemuDriver implements PowerDriver {
  readonly name = 'qemu' as const;
  readonly target: string;
  readonly capabilities = { ...NO_CAPABILITIES, status: true, on: true, off: true, cycle: true, soft: true };

  constructor(private readonly opts: QemuDriverOptions) {
    this.target = `QEMU ${opts.qmp}`;
  }

  async status(): Promise<PowerState> {
    return this.qmp('read the VM state', async (x) => ((await runState(x)) === 'running' ? 'on' : 'off'));
  }

  async check(): Promise<string> {
    return this.qmp('read the VM state', async (x) => `VM is ${await runState(x)}`);
  }

  async on(): Promise<void> {
    await this.qmp('power on', async (x) => {
      const state = await runState(x);
      if (state === 'running') return;
      if (state === 'shutdown' || state === 'guest-panicked') await x('system_reset');
      await x('cont');
    });
  }

  async off(): Promise<void> {
    await this.qmp('power off', async (x) => {
      await x('stop');
      await x('system_reset');
    });
  }

  async cycle(): Promise<void> {
    await this.qmp('power cycle', async (x) => {
      await x('system_reset');
      if ((await runState(x)) !== 'running') await x('cont');
    });
  }

  async soft(): Promise<void> {
    await this.qmp('shut down softly', (x) => x('system_powerdown').then(() => undefined));
  }

  setBootDevice(): Promise<void> {
    return Promise.reject(
      unsupported(this.target, 'choose the boot device over QMP', 'give the VM -boot n (network first); iPXE hands over to the disk once Talos is installed'),
    );
  }

  async close(): Promise<void> {}

  private async qmp<T>(what: string, fn: (x: QmpExecute) => Promise<T>): Promise<T> {
    try {
      return await withQmp(this.opts.qmp, this.opts.timeoutMs, fn);
    } catch (e) {
      if (e instanceof QmpError) {
        if (e.errorClass === 'CommandNotFound') return Promise.reject(unsupported(this.target, `${what}: ${e.message}`));
        throw bmcError(this.target, `${what}: ${e.message}`);
      }
      const code = errnoCode(e);
      const hint = code === 'ENOENT' || code === 'ECONNREFUSED' ? ' (is QEMU running with -qmp unix:<path>,server,wait=off?)' : '';
      throw unreachable(this.target, `${(e as Error).message}${hint}`, e);
    }
  }
}

async function runState(x: QmpExecute): Promise<string> {
  const r = (await x('query-status')) as { status?: unknown };
  return typeof r.status === 'string' ? r.status : 'unknown';
}
