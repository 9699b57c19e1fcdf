/**
 * The DHCP side of a simulated machine, built on Metalbox's own codec: a PXE firmware's DISCOVER (option
 * 93, 60 PXEClient, 97 UUID) and, for UEFI, its REQUEST to the boot server on 4011; later iPXE's DISCOVER
 * with user class `iPXE`. Everything stays on loopback: requests are sent to the server's address from the
 * machine's own 127.x address, and the proxy's broadcast replies are picked up by one listener per rack.
 */
import { randomInt } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { BOOTREQUEST, chaddrFromMac, decodePacket, encodePacket, FLAG_BROADCAST, messageType, OPT, setMessageType, type DhcpPacket } from '../dhcp/index.js';

export interface DhcpTarget {
  /** The DHCP server's address (127.0.0.1 in the demo). */
  address: string;
  port: number;
  proxyPort: number;
}

export interface DhcpClientFacts {
  mac: string;
  uuid: string;
  /** RFC 4578 architecture (0 BIOS, 7 UEFI x86-64, 11 UEFI arm64). */
  arch: number;
  /** The machine's own address (a 127.x address on loopback). */
  address: string;
  /** iPXE asking (user class `iPXE`), not the firmware. */
  ipxe: boolean;
}

export interface BootOffer {
  /** The boot file: a TFTP name for firmware, an http:// URL for iPXE. */
  bootFile: string;
  /** Where TFTP lives (siaddr). */
  nextServer: string;
}

function uuidBytes(uuid: string): Buffer {
  return Buffer.concat([Buffer.from([0]), Buffer.from(uuid.replaceAll('-', ''), 'hex')]);
}

export function discoverPacket(f: DhcpClientFacts, xid: number, type: 'DISCOVER' | 'REQUEST' = 'DISCOVER'): DhcpPacket {
  const options = new Map<number, Buffer>();
  setMessageType(options, type);
  options.set(OPT.maxMessageSize, Buffer.from([0x05, 0xc0]));
  options.set(OPT.parameterRequestList, Buffer.from([1, 3, 6, 43, 54, 60, 66, 67, 97, 128, 129, 175]));
  options.set(OPT.clientArch, Buffer.from([0, f.arch]));
  options.set(OPT.clientNdi, Buffer.from([1, 3, 16]));
  options.set(OPT.clientMachineId, uuidBytes(f.uuid));
  options.set(OPT.vendorClass, Buffer.from(`PXEClient:Arch:${String(f.arch).padStart(5, '0')}:UNDI:003016`, 'latin1'));
  if (f.ipxe) options.set(OPT.userClass, Buffer.from('iPXE', 'latin1'));
  return {
    op: BOOTREQUEST,
    htype: 1,
    hlen: 6,
    hops: 0,
    xid,
    secs: 4,
    flags: type === 'DISCOVER' ? FLAG_BROADCAST : 0,
    ciaddr: type === 'REQUEST' ? f.address : '0.0.0.0',
    yiaddr: '0.0.0.0',
    siaddr: '0.0.0.0',
    giaddr: '0.0.0.0',
    chaddr: chaddrFromMac(f.mac),
    sname: '',
    file: '',
    options,
  };
}

/** One listener per rack for the proxy's broadcast replies, handed to whoever waits for that xid. */
export class ReplyListener {
  private sock: Socket | undefined;
  private readonly waiting = new Map<number, (p: DhcpPacket) => void>();

  constructor(private readonly clientPort: number) {}

  async start(): Promise<void> {
    const sock = createSocket({ type: 'udp4', reuseAddr: true });
    await new Promise<void>((resolve, reject) => {
      sock.once('error', reject);
      sock.bind(this.clientPort, '255.255.255.255', () => {
        sock.off('error', reject);
        resolve();
      });
    });
    sock.on('message', (msg) => this.deliver(msg));
    sock.on('error', () => undefined);
    this.sock = sock;
  }

  deliver(msg: Buffer): void {
    const d = decodePacket(msg);
    if (!d.ok) return;
    this.waiting.get(d.packet.xid)?.(d.packet);
  }

  expect(xid: number, fn: (p: DhcpPacket) => void): () => void {
    this.waiting.set(xid, fn);
    return () => this.waiting.delete(xid);
  }

  async stop(): Promise<void> {
    const s = this.sock;
    this.sock = undefined;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }
}

/**
 * DISCOVER until an OFFER comes (a few tries, as firmware does), then for UEFI firmware a REQUEST to the
 * boot server port, whose ACK carries the boot file. Undefined when nobody answered.
 */
export async function pxeDhcp(f: DhcpClientFacts, target: DhcpTarget, replies: ReplyListener, tries = 4, waitMs = 1500): Promise<BootOffer | undefined> {
  const sock = createSocket({ type: 'udp4' });
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(0, f.address, () => resolve());
  });
  sock.on('error', () => undefined);
  try {
    const offer = await exchange(sock, replies, discoverPacket(f, randomInt(1, 0x7fffffff)), target.address, target.port, tries, waitMs);
    if (!offer) return undefined;
    if (f.arch === 0 || f.ipxe) return offerOf(offer, target);
    // UEFI: the boot server on 4011 answers a unicast REQUEST to where it came from.
    const ack = await exchange(sock, replies, discoverPacket(f, randomInt(1, 0x7fffffff), 'REQUEST'), target.address, target.proxyPort, tries, waitMs);
    return ack ? offerOf(ack, target) : offerOf(offer, target);
  } finally {
    await new Promise<void>((r) => sock.close(() => r()));
  }
}

function offerOf(p: DhcpPacket, target: DhcpTarget): BootOffer | undefined {
  const bootFile = p.options.get(OPT.bootFileName)?.toString('latin1') || p.file;
  if (!bootFile) return undefined;
  return { bootFile, nextServer: p.siaddr !== '0.0.0.0' ? p.siaddr : target.address };
}

async function exchange(sock: Socket, replies: ReplyListener, req: DhcpPacket, address: string, port: number, tries: number, waitMs: number): Promise<DhcpPacket | undefined> {
  const want = messageType(req) === 'DISCOVER' ? 'OFFER' : 'ACK';
  for (let i = 0; i < tries; i++) {
    const got = await new Promise<DhcpPacket | undefined>((resolve) => {
      const done = (p: DhcpPacket | undefined) => {
        clearTimeout(timer);
        unlisten();
        sock.off('message', onUnicast);
        resolve(p);
      };
      const onPacket = (p: DhcpPacket) => {
        if (p.xid === req.xid && messageType(p) === want) done(p);
      };
      const onUnicast = (msg: Buffer) => {
        const d = decodePacket(msg);
        if (d.ok) onPacket(d.packet);
      };
      const unlisten = replies.expect(req.xid, onPacket);
      sock.on('message', onUnicast);
      const timer = setTimeout(() => done(undefined), waitMs);
      sock.send(encodePacket(req), port, address);
    });
    if (got) return got;
  }
  return undefined;
}
