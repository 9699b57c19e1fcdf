import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QemuDriver } from '../../src/power/qemu/driver.js';
import { isMetalboxError } from '../../src/util/errors.js';
import { missing, skipNote } from '../support/needs.js';
import { QemuVm } from './support/qemu-vm.js';

const why = missing('bin:qemu-system-x86_64');
describe.skipIf(why)(`QEMU driver over QMP against a real QEMU${skipNote(why)}`, () => {
  const vm = new QemuVm();
  let d: QemuDriver;
  beforeAll(async () => {
    await vm.start();
    d = new QemuDriver({ qmp: `unix:${vm.socketPath}`, timeoutMs: 3000 });
  });
  afterAll(() => vm.stop());

  it('starts off, powers on, cycles, shuts down softly and powers off', async () => {
    expect(await d.status()).toBe('off');
    expect(await vm.runState()).toBe('prelaunch');
    await d.on();
    expect(await vm.runState()).toBe('running');
    expect(await d.status()).toBe('on');
    await d.on(); // already on: nothing happens
    await d.cycle();
    await d.soft();
    await d.off();
    expect(await vm.runState()).toBe('prelaunch');
    expect(await d.status()).toBe('off');
    await d.cycle(); // a cycle from off leaves it running
    expect(await vm.runState()).toBe('running');
    await sleep(50);
    expect(vm.events).toEqual(['RESUME', 'RESET', 'POWERDOWN', 'STOP', 'RESET', 'RESET', 'RESUME']);
  });

  it('says the VM is unreachable when its socket is not there, and cannot set the boot device', async () => {
    const gone = new QemuDriver({ qmp: `${vm.dir}/nothing.sock`, timeoutMs: 1000 });
    let err: unknown;
    await gone.status().catch((e: unknown) => (err = e));
    expect(isMetalboxError(err, 'POWER_UNREACHABLE') && err.message).toMatch(/is QEMU running/);
    err = undefined;
    await d.setBootDevice().catch((e: unknown) => (err = e));
    expect(isMetalboxError(err, 'POWER_UNSUPPORTED')).toBe(true);
  });
});
