import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annotations, type Server } from '../../src/api/index.js';
import { registerPower } from '../../src/cli/power.js';
import { EventBus } from '../../src/events/index.js';
import { powerCommand } from '../../src/power/index.js';
import { openState } from '../../src/state.js';
import { isMetalboxError } from '../../src/util/errors.js';
import { missing, skipNote } from '../support/needs.js';
import { Rig, server, testSettings } from './support/fixtures.js';
import { QemuVm } from './support/qemu-vm.js';
import { RedfishBmc } from './support/redfish-bmc.js';

const { POWER_DRIVER, QEMU_QMP, BMC_CERT_SHA256 } = annotations;

async function code(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return isMetalboxError(e) ? e.code : String(e);
  }
  return undefined;
}

const why = missing('bin:qemu-system-x86_64');
describe.skipIf(why)(`metalbox power SERVER ACTION${skipNote(why)}`, () => {
  const vm = new QemuVm();
  const bmc = new RedfishBmc({ user: 'admin', password: 'pw-command-test' });
  const rig = new Rig();

  beforeAll(async () => {
    await Promise.all([vm.start(), bmc.start(), rig.open()]);
    await rig.store.create(server('vm-1', {}, { [POWER_DRIVER]: 'qemu', [QEMU_QMP]: `unix:${vm.socketPath}` }));
    await rig.store.create(server('rf-1', { bmc: { endpoint: bmc.url, user: 'admin', pass: 'pw-command-test' } }, { [POWER_DRIVER]: 'redfish' }));
  });
  afterAll(async () => {
    await Promise.all([vm.stop(), bmc.stop()]);
    await rig.close();
  });

  it('reads and records the power state, and acts, without a running controller', async () => {
    const st = await powerCommand(rig.store, testSettings(), rig.events, 'vm-1', 'status');
    expect(st).toMatchObject({ server: 'vm-1', driver: 'qemu', action: 'status', power: 'off' });
    expect(rig.power('vm-1')).toBe('off');
    const on = await powerCommand(rig.store, testSettings(), rig.events, 'vm-1', 'pxe');
    expect(on.steps).toEqual(['on']); // QEMU keeps its -boot order; it only powers on
    expect(await vm.runState()).toBe('running');
    expect(rig.transcript()).toContain('power pxe vm-1 via qemu: ok');
  });

  it('records a Redfish certificate pinned by a one-shot command before returning', async () => {
    await powerCommand(rig.store, testSettings(), rig.events, 'rf-1', 'on');
    expect(bmc.power).toBe('On');
    expect(rig.store.get<Server>('Server', 'rf-1')!.metadata.annotations![BMC_CERT_SHA256]).toBe(bmc.fingerprint);
    expect(bmc.sessions.size).toBe(0); // the session was closed
  });

  it('refuses an unknown action or server with a clear error', async () => {
    expect(await code(powerCommand(rig.store, testSettings(), rig.events, 'vm-1', 'explode'))).toBe('POWER_BAD_ACTION');
    expect(await code(powerCommand(rig.store, testSettings(), rig.events, 'nope', 'on'))).toBe('POWER_NO_SERVER');
  });

  it('runs from the command line against a data directory', async () => {
    const dir = `${rig.dir}/cli`;
    const events = new EventBus();
    const st = await openState({ dataDir: dir, settings: testSettings(), events });
    await st.store.create(server('vm-cli', {}, { [POWER_DRIVER]: 'qemu', [QEMU_QMP]: `unix:${vm.socketPath}` }));
    await st.close();
    const lines: string[] = [];
    const program = new Command('metalbox').option('--data-dir <dir>').exitOverride();
    registerPower(program, { out: (l) => lines.push(l) });
    await program.parseAsync(['power', 'vm-cli', 'off', '--data-dir', dir], { from: 'user' });
    expect(await vm.runState()).toBe('prelaunch');
    await program.parseAsync(['power', 'vm-cli', 'status', '--data-dir', dir, '-o', 'json'], { from: 'user' });
    expect(lines[0]).toBe('vm-cli: off (qemu)');
    expect(JSON.parse(lines[1]!)).toMatchObject({ server: 'vm-cli', action: 'status', power: 'off' });
  });
});
