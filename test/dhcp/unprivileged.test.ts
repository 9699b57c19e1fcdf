/**
 * The whole appliance (`metalbox serve`) started by an ordinary user: DHCP (67) and TFTP (69) cannot bind,
 * say how to fix it, and are shown as failed while the rest (HTTP among it) keeps running. It runs in its
 * own network namespace, so the real ports of every service are free whatever else runs on this machine.
 */
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab, run } from '../lab/lab.js';
import { missing, skipNote } from '../support/needs.js';

const why = missing('root', 'netns', 'bin:setpriv', 'bin:curl');
const NOBODY = 65534;

describe.skipIf(why)(`metalbox serve without privilege${skipNote(why)}`, () => {
  let lab: Lab;
  let dataDir = '';
  beforeAll(async () => {
    lab = await Lab.create('dhcpnopriv');
    // Not inside lab.dir (root's 0700 folder): the unprivileged user must own it.
    dataDir = await mkdtemp(join(tmpdir(), `mbx-dhcp-nopriv-${process.pid}-`));
    await chown(dataDir, NOBODY, NOBODY);
  });
  afterAll(async () => {
    await lab?.cleanup();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('DHCP and TFTP fail with the fix named, the rest of the appliance runs and stops cleanly', async () => {
    const lan = await lab.segment('np');
    const box = await lab.host('npbox', lan, '10.87.0.1/24');
    const entry = join(process.cwd(), 'test/support/metalbox-dev.ts');
    const serve = lab.spawn('serve', box, 'setpriv', [
      `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups',
      process.execPath, '--import', 'tsx', entry, '--data-dir', dataDir, 'serve',
    ], { env: { ...process.env, HOME: dataDir } });
    await serve.waitForOutput(/metalbox \S+ started on 10\.87\.0\.1/, 60_000);
    await serve.waitForOutput(/kernel-log running/, 30_000);
    const out = serve.output();
    expect(out).toMatch(/ERROR tftp failed: TFTP: no permission to bind port 69\n\s+run metalbox as root, or grant the capability once: sudo setcap cap_net_bind_service=\+ep/);
    expect(out).toMatch(/ERROR dhcp failed: DHCP: no permission to bind port 67\n\s+run metalbox as root, or grant the capability once: sudo setcap cap_net_bind_service=\+ep/);
    expect(out).toMatch(/INFO\s+http running: port 8081/);
    // The HTTP side of network boot still answers.
    const script = await run('ip', ['netns', 'exec', box.ns, 'curl', '-sSf', 'http://10.87.0.1:8081/boot.ipxe']);
    expect(script.stdout).toMatch(/^#!ipxe/);
    await serve.stop(10_000);
    expect(serve.output()).toMatch(/metalbox stopping: received SIGTERM[\s\S]*http stopped/);
  }, 120_000);
});
