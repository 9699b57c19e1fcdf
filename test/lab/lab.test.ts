import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { missing, skipNote } from '../support/needs.js';
import { readPcap } from './capture.js';
import { Lab, sweepStale } from './lab.js';

const namespaces = () => execFileSync('ip', ['netns', 'list']).toString();
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const why = missing('root', 'netns');
describe.skipIf(why)(`the lab cleans up after itself${skipNote(why)}`, () => {
  it('cleanup removes its namespaces (with their links), stops its processes and removes its folder', async () => {
    const lab = await Lab.create('labtest');
    const lan = await lab.segment('lan');
    await lab.host('a', lan, '10.99.0.1/24');
    const b = await lab.host('b', lan, '10.99.0.2/24');
    await lab.tap(lan);
    const sleeper = lab.spawn('sleep', b, 'sleep', ['600']);
    await new Promise((r) => setTimeout(r, 200));
    expect(alive(sleeper.pid!)).toBe(true);
    expect(namespaces()).toContain(lab.prefix);
    await lab.cleanup();
    expect(namespaces()).not.toContain(lab.prefix);
    expect(alive(sleeper.pid!)).toBe(false);
    expect(existsSync(lab.dir)).toBe(false);
  }, 30_000);

  it('sweeps namespaces left behind by a process that died', async () => {
    const dead = `mbx-labtest-999999-dead-x`;
    execFileSync('ip', ['netns', 'add', dead]);
    sweepStale();
    expect(namespaces()).not.toContain(dead);
  });
});

describe('pcap reader', () => {
  it('reads UDP datagrams out of an Ethernet capture', () => {
    const header = Buffer.alloc(24);
    header.writeUInt32LE(0xa1b2c3d4, 0);
    header.writeUInt32LE(1, 20);
    const udp = Buffer.from([0x00, 0x43, 0x00, 0x44, 0x00, 0x0b, 0, 0, 0x61, 0x62, 0x63]);
    const ip = Buffer.concat([Buffer.from([0x45, 0, 0, 31, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 255, 255, 255, 255]), udp]);
    const frame = Buffer.concat([Buffer.alloc(6, 0xff), Buffer.from([2, 0, 0, 0, 0, 1]), Buffer.from([0x08, 0x00]), ip]);
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(100, 0);
    rec.writeUInt32LE(frame.length, 8);
    rec.writeUInt32LE(frame.length, 12);
    const [d] = readPcap(Buffer.concat([header, rec, frame]));
    expect(d).toMatchObject({ src: '10.0.0.1', dst: '255.255.255.255', srcPort: 67, dstPort: 68, srcMac: '02:00:00:00:00:01', dstMac: 'ff:ff:ff:ff:ff:ff', time: 100 });
    expect(d!.payload.toString()).toBe('abc');
  });
});
