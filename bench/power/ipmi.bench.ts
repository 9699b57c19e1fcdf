/**
 * IPMI power through Metalbox's driver against ipmitool used directly (the peer tool), both talking to
 * OpenIPMI's ipmi_sim on loopback:
 *  1. one power-status read: IpmiDriver.status() (ipmitool raw Chassis Status, -v for classification)
 *     vs `ipmitool -C 3 chassis power status`, alternating rounds, medians;
 *  2. the first read with the default settings (cipher 17, refused by ipmi_sim, then the fallback 3) vs
 *     ipmitool without -C (which probes the cipher suites first);
 *  3. a rack poll: 32 reads through the limiter at power.maxConcurrent = 8 vs `xargs -P 8 ipmitool …`.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { IpmiDriver } from '../../src/power/ipmi/driver.js';
import { PowerLimiter } from '../../src/power/limiter.js';
import { IpmiSim } from '../../test/power/support/ipmi-sim.js';

const run = promisify(execFile);
const USER = 'bench';
const PASSWORD = `bench-${process.pid}`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

for (const bin of ['ipmi_sim', 'ipmitool']) {
  if (spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0) {
    console.error(`skipped: ${bin} is not installed (apt-get install openipmi ipmitool)`);
    process.exit(0);
  }
}

const sim = new IpmiSim({ user: USER, password: PASSWORD, power: '1' });
await sim.start();
const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', IPMI_PASSWORD: PASSWORD };
const peerArgs = (cipher?: number) => [
  '-I', 'lanplus', '-H', '127.0.0.1', '-p', String(sim.port), '-U', USER, '-E', ...(cipher === undefined ? [] : ['-C', String(cipher)]),
  'chassis', 'power', 'status',
];
const peer = async (cipher?: number) => {
  const { stdout } = await run('ipmitool', peerArgs(cipher), { env });
  if (!/Chassis Power is on/.test(stdout)) throw new Error(`unexpected: ${stdout}`);
};
const driver = (cipherSuite: number) =>
  new IpmiDriver({ target: { host: '127.0.0.1', port: sim.port, user: USER, password: PASSWORD, interface: 'lanplus' }, timeoutMs: 15_000, cipherSuite, fallbackCipherSuite: 3 });
const ours = driver(3);

async function timeEach(fn: () => Promise<unknown>, n: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return (performance.now() - t0) / n;
}

try {
  for (let i = 0; i < 3; i++) (await peer(3), await ours.status());
  const p: number[] = [];
  const o: number[] = [];
  for (let round = 0; round < 7; round++) {
    p.push(await timeEach(() => peer(3), 10));
    o.push(await timeEach(() => ours.status(), 10));
  }
  console.log(`1. one status read: metalbox ${median(o).toFixed(1)} ms, ipmitool ${median(p).toFixed(1)} ms, ratio ${(median(o) / median(p)).toFixed(2)}`);

  const fresh = driver(17);
  let t0 = performance.now();
  await fresh.status();
  const firstOurs = performance.now() - t0;
  t0 = performance.now();
  await fresh.status();
  const secondOurs = performance.now() - t0;
  t0 = performance.now();
  await peer(undefined);
  const probe = performance.now() - t0;
  console.log(
    `2. default settings (cipher 17, fallback 3): first read ${firstOurs.toFixed(0)} ms, then ${secondOurs.toFixed(0)} ms (suite ${fresh.cipherSuite}); ` +
      `ipmitool without -C: ${probe.toFixed(0)} ms; ratio ${(firstOurs / probe).toFixed(3)}`,
  );

  const N = 32;
  const limiter = new PowerLimiter(8);
  let peak = 0;
  t0 = performance.now();
  await Promise.all(
    Array.from({ length: N }, (_, i) =>
      limiter.run(`s${i}`, async () => {
        peak = Math.max(peak, limiter.active);
        return driver(3).status();
      }),
    ),
  );
  const rackOurs = performance.now() - t0;
  const cmd = `seq ${N} | xargs -P 8 -I{} ipmitool ${peerArgs(3).join(' ')} > /dev/null`;
  t0 = performance.now();
  await run('sh', ['-c', cmd], { env });
  const rackPeer = performance.now() - t0;
  console.log(`3. rack poll, ${N} BMC reads, 8 at once: metalbox ${rackOurs.toFixed(0)} ms (peak ${peak} at once), xargs -P 8 ipmitool ${rackPeer.toFixed(0)} ms, ratio ${(rackOurs / rackPeer).toFixed(2)}`);
} finally {
  await sim.stop();
}
