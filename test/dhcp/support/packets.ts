/** Building and loading DHCP packets for tests: captured fixtures and hand-made requests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BOOTREQUEST,
  chaddrFromMac,
  decodePacket,
  ipBytes,
  OPT,
  setMessageType,
  type DhcpPacket,
} from '../../../src/dhcp/index.js';
import type { DhcpMessageName } from '../../../src/events/index.js';

export const FIXTURES = join(process.cwd(), 'test/fixtures/dhcp');

export function fixtureBytes(name: string): Buffer {
  return readFileSync(join(FIXTURES, `${name}.bin`));
}

export function fixture(name: string): DhcpPacket {
  const r = decodePacket(fixtureBytes(name));
  if (!r.ok) throw new Error(`fixture ${name}: ${r.reason}`);
  return r.packet;
}

export interface RequestSpec {
  type: DhcpMessageName;
  mac?: string;
  xid?: number;
  arch?: number;
  vendorClass?: string;
  userClass?: string;
  ciaddr?: string;
  giaddr?: string;
  requested?: string;
  serverId?: string;
  flags?: number;
  extra?: [number, Buffer][];
}

/** A client request as firmware or an OS would send it. */
export function request(s: RequestSpec): DhcpPacket {
  const p: DhcpPacket = {
    op: BOOTREQUEST,
    htype: 1,
    hlen: 6,
    hops: s.giaddr ? 1 : 0,
    xid: s.xid ?? 0x12345678,
    secs: 0,
    flags: s.flags ?? 0,
    ciaddr: s.ciaddr ?? '0.0.0.0',
    yiaddr: '0.0.0.0',
    siaddr: '0.0.0.0',
    giaddr: s.giaddr ?? '0.0.0.0',
    chaddr: chaddrFromMac(s.mac ?? '52:54:00:aa:bb:cc'),
    sname: '',
    file: '',
    options: new Map(),
  };
  setMessageType(p.options, s.type);
  if (s.requested) p.options.set(OPT.requestedAddress, ipBytes(s.requested));
  if (s.serverId) p.options.set(OPT.serverId, ipBytes(s.serverId));
  if (s.vendorClass) p.options.set(OPT.vendorClass, Buffer.from(s.vendorClass));
  if (s.userClass) p.options.set(OPT.userClass, Buffer.from(s.userClass));
  if (s.arch !== undefined) {
    const a = Buffer.alloc(2);
    a.writeUInt16BE(s.arch);
    p.options.set(OPT.clientArch, a);
    p.options.set(OPT.clientMachineId, Buffer.concat([Buffer.from([0]), Buffer.alloc(16, 0x42)]));
  }
  for (const [code, v] of s.extra ?? []) p.options.set(code, v);
  return p;
}

/** A PXE firmware DISCOVER for an architecture. */
export function pxeDiscover(arch: number, mac = '52:54:00:aa:bb:cc'): DhcpPacket {
  const tag = arch.toString().padStart(5, '0');
  return request({ type: 'DISCOVER', mac, arch, vendorClass: `PXEClient:Arch:${tag}:UNDI:003016` });
}
