/**
 * OpenIPMI's ipmi_sim as a BMC on loopback, for tests. The chassis is a small shell script that ipmi_sim
 * calls for power and boot device (its `chassis_control` hook); the script keeps the state in files and
 * logs every call, which is how tests observe what the BMC was asked to do.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runIpmitool } from '../../../src/power/ipmi/ipmitool.js';

export interface SimOptions {
  user: string;
  password: string;
  /** Initial power: '1' on, '0' off. */
  power?: '0' | '1';
}

export interface SimState {
  power: 'on' | 'off';
  boot: string;
  /** Every call of the chassis hook, e.g. `set power 1`, `set boot pxe`, `set shutdown 1`. */
  calls: string[];
}

const CHASSIS_SCRIPT = `#!/bin/sh
dir=$(dirname "$0")
shift
op=$1; shift
echo "$op $*" >> "$dir/calls.log"
case $op in
get)
  for p in "$@"; do
    case $p in
      power) echo "power:$(cat "$dir/power")";;
      boot) echo "boot:$(cat "$dir/boot")";;
      *) echo "Invalid parameter: $p"; exit 1;;
    esac
  done;;
set)
  while [ $# -gt 1 ]; do
    case $1 in
      power) echo "$2" > "$dir/power";;
      boot) echo "$2" > "$dir/boot";;
      identify) shift;;
    esac
    shift 2
  done;;
*) exit 1;;
esac
`;

export async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export class IpmiSim {
  readonly dir: string;
  port = 0;
  private proc: ChildProcess | undefined;

  constructor(private readonly opts: SimOptions) {
    this.dir = mkdtempSync(join(tmpdir(), `power-ipmisim-${process.pid}-`));
  }

  async start(): Promise<void> {
    const d = this.dir;
    this.port = await freeUdpPort();
    writeFileSync(join(d, 'power'), `${this.opts.power ?? '0'}\n`);
    writeFileSync(join(d, 'boot'), 'default\n');
    writeFileSync(join(d, 'calls.log'), '');
    writeFileSync(join(d, 'chassis.sh'), CHASSIS_SCRIPT);
    chmodSync(join(d, 'chassis.sh'), 0o755);
    writeFileSync(join(d, 'lan.conf'), this.lanConf());
    writeFileSync(join(d, 'bmc.emu'), 'mc_setbmc 0x20\nmc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02\nmc_enable 0x20\n');
    mkdirSync(join(d, 'state'));
    this.proc = spawn('ipmi_sim', ['-c', join(d, 'lan.conf'), '-f', join(d, 'bmc.emu'), '-s', join(d, 'state'), '-n'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    this.proc.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
    await this.waitReady(() => stderr);
  }

  private lanConf(): string {
    const q = (s: string): string => JSON.stringify(s);
    return [
      `name ${q(`power${process.pid}`)}`,
      'set_working_mc 0x20',
      '  startlan 1',
      `    addr 127.0.0.1 ${this.port}`,
      '    priv_limit admin',
      '    allowed_auths_callback md5',
      '    allowed_auths_user md5',
      '    allowed_auths_operator md5',
      '    allowed_auths_admin md5',
      '    guid a123456789abcdefa123456789abcdef',
      '  endlan',
      `  chassis_control ${q(`${join(this.dir, 'chassis.sh')} 0x20`)}`,
      `  user 2 true ${q(this.opts.user)} ${q(this.opts.password)} admin 10 md5`,
      '',
    ].join('\n');
  }

  private async waitReady(stderr: () => string): Promise<void> {
    const until = Date.now() + 10_000;
    while (Date.now() < until) {
      if (this.proc?.exitCode !== null) throw new Error(`ipmi_sim exited: ${stderr()}`);
      try {
        await runIpmitool({
          bin: 'ipmitool',
          target: { host: '127.0.0.1', port: this.port, user: this.opts.user, password: this.opts.password, interface: 'lanplus' },
          cipherSuite: 3,
          timeoutMs: 2000,
          command: ['raw', '0x06', '0x01'],
        });
        return;
      } catch {
        await sleep(100);
      }
    }
    throw new Error(`ipmi_sim did not answer on 127.0.0.1:${this.port}: ${stderr()}`);
  }

  state(): SimState {
    const read = (f: string): string => readFileSync(join(this.dir, f), 'utf8').trim();
    return {
      power: read('power') === '1' ? 'on' : 'off',
      boot: read('boot'),
      calls: read('calls.log').split('\n').filter((l) => l && !l.startsWith('get ')),
    };
  }

  /** Set the chassis power behind the BMC's back (as if someone pressed the button). */
  setPower(on: boolean): void {
    writeFileSync(join(this.dir, 'power'), on ? '1\n' : '0\n');
  }

  clearCalls(): void {
    writeFileSync(join(this.dir, 'calls.log'), '');
  }

  async stop(): Promise<void> {
    const p = this.proc;
    if (p && p.exitCode === null) {
      const gone = new Promise<void>((r) => p.once('exit', () => r()));
      p.kill('SIGTERM');
      await Promise.race([gone, sleep(2000)]);
      if (p.exitCode === null) p.kill('SIGKILL');
    }
    if (existsSync(this.dir)) rmSync(this.dir, { recursive: true, force: true });
  }
}
