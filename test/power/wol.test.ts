import { createSocket, type Socket } from 'node:dgram';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { broadcastAddress, magicPacket, parseMac, provisioningAddress, WolDriver } from '../../src/power/wol.js';
import { isMetalboxError } from '../../src/util/errors.js';

const MAC = '52:54:00:12:34:5a';

async function listen(address: string, port = 0): Promise<{ sock: Socket; port: number; got: { data: Buffer; from: string }[] }> {
  const sock = createSocket('udp4');
  const got: { data: Buffer; from: string }[] = [];
  sock.on('message', (data, r) => got.push({ data, from: r.address }));
  await new Promise<void>((r) => sock.bind(port, address, r));
  return { sock, port: sock.address().port, got };
}

describe('Wake-on-LAN', () => {
  const sockets: Socket[] = [];
  afterAll(() => sockets.forEach((s) => s.close()));

  it('builds the 102-byte magic packet', () => {
    const p = magicPacket('52-54-00-12-34-5A');
    expect(p.length).toBe(102);
    expect(p.subarray(0, 6).equals(Buffer.alloc(6, 0xff))).toBe(true);
    for (let i = 0; i < 16; i++) expect(p.subarray(6 + i * 6, 12 + i * 6).toString('hex')).toBe('52540012345a');
    expect(magicPacket('52540012345a').equals(p)).toBe(true);
    expect(parseMac('52:54:00:12:34')).toBeUndefined();
    expect(() => magicPacket('not-a-mac')).toThrowError(/not a MAC address/);
  });

  it('computes the subnet broadcast of the provisioning interface', () => {
    expect(broadcastAddress('10.77.0.5', '255.255.255.0')).toBe('10.77.0.255');
    expect(broadcastAddress('192.168.1.130', '255.255.255.192')).toBe('192.168.1.191');
    expect(provisioningAddress('lo', '')).toEqual({ address: '127.0.0.1', broadcast: '127.255.255.255' });
    expect(provisioningAddress('', '127.0.0.1').broadcast).toBe('127.255.255.255');
    let err: unknown;
    try {
      provisioningAddress('nosuchnic0', '');
    } catch (e) {
      err = e;
    }
    expect(isMetalboxError(err, 'POWER_CONFIG_INVALID')).toBe(true);
  });

  it('sends the packet from the interface to its broadcast address, and to an extra address', async () => {
    const bcast = await listen('127.255.255.255');
    const extra = await listen('127.0.0.3', bcast.port);
    // A listener on the unicast address must hear nothing: the packet goes to the broadcast address.
    const unicast = await listen('127.0.0.1', bcast.port);
    sockets.push(bcast.sock, extra.sock, unicast.sock);
    const d = new WolDriver({ mac: MAC, from: provisioningAddress('lo', ''), extraAddress: '127.0.0.3', port: bcast.port });
    await d.on();
    await sleep(100);
    expect(bcast.got.length).toBe(3);
    expect(extra.got.length).toBe(3);
    expect(unicast.got.length).toBe(0);
    for (const g of [...bcast.got, ...extra.got]) {
      expect(g.data.equals(magicPacket(MAC))).toBe(true);
      expect(g.from).toBe('127.0.0.1');
    }
    expect(d.capabilities.off).toBe(false);
    let err: unknown;
    await d.off().catch((e: unknown) => (err = e));
    expect(isMetalboxError(err, 'POWER_UNSUPPORTED')).toBe(true);
  });
});
