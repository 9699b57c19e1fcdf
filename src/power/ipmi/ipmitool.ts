/**
 * Running ipmitool: the password travels in the child's environment (`-E` reads IPMI_PASSWORD), never
 * in its argument list, so it does not show in `ps` or /proc/<pid>/cmdline. The child gets a minimal
 * environment, a hard deadline (SIGKILL), and fixed retransmission settings.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { MetalboxError } from '../../util/errors.js';
import { POWER_ERROR_CODES } from '../errors.js';
import { classifyIpmitoolOutput, type IpmiFailure } from './codec.js';

export type IpmiInterface = 'lanplus' | 'lan';

export interface IpmiTarget {
  host: string;
  port: number;
  user: string;
  password: string;
  interface: IpmiInterface;
}

export interface IpmitoolCall {
  bin: string;
  target: IpmiTarget;
  /** lanplus only. */
  cipherSuite?: number;
  timeoutMs: number;
  command: string[];
}

/** A failed run, classified. */
export class IpmitoolFailed extends Error {
  constructor(readonly failure: IpmiFailure) {
    super(failure.detail);
    this.name = 'IpmitoolFailed';
  }
}

/** The argument list: never contains the password. Exported for the process-list test. */
export function ipmitoolArgs(call: Omit<IpmitoolCall, 'bin' | 'timeoutMs'>): string[] {
  const t = call.target;
  const args = ['-I', t.interface, '-H', t.host, '-p', String(t.port)];
  if (t.user) args.push('-U', t.user);
  if (t.password) args.push('-E');
  if (t.interface === 'lanplus' && call.cipherSuite !== undefined) args.push('-C', String(call.cipherSuite));
  // One second between retransmissions, two retransmissions: a silent BMC costs seconds, not minutes.
  args.push('-N', '1', '-R', '2', '-v');
  return [...args, ...call.command];
}

/** Run one ipmitool command; resolves with stdout, rejects with IpmitoolFailed or a MetalboxError. */
export function runIpmitool(call: IpmitoolCall): Promise<string> {
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C', LC_ALL: 'C' };
  if (call.target.password) env['IPMI_PASSWORD'] = call.target.password;
  return new Promise((resolve, reject) => {
    execFile(
      call.bin,
      ipmitoolArgs(call),
      { env, timeout: call.timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1 << 20, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null };
        if (e.code === 'ENOENT') return reject(ipmitoolMissing(call.bin));
        if (e.killed || e.signal === 'SIGKILL') {
          return reject(new IpmitoolFailed({ kind: 'unreachable', detail: `no answer within ${Math.round(call.timeoutMs / 100) / 10} s` }));
        }
        reject(new IpmitoolFailed(classifyIpmitoolOutput(`${stderr}\n${stdout}`)));
      },
    );
  });
}

export function ipmitoolMissing(bin: string): MetalboxError {
  return new MetalboxError(POWER_ERROR_CODES.toolMissing, `ipmitool was not found (${bin}); IPMI power control needs it`, {
    hint: 'install it: sudo apt-get install ipmitool (Debian, Ubuntu) or sudo dnf install ipmitool',
  });
}

/** Where ipmitool is, or a POWER_TOOL_MISSING error: checked once when the power controller starts. */
export function findIpmitool(bin = 'ipmitool', path = process.env['PATH'] ?? ''): string {
  const candidates = isAbsolute(bin) || bin.includes('/') ? [bin] : path.split(delimiter).filter(Boolean).map((d) => join(d, bin));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // try the next folder
    }
  }
  throw ipmitoolMissing(bin);
}
