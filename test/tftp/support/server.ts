/** A TFTP service on a random loopback port over a folder of test files, plus raw-socket helpers. */
import { createSocket, type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSettings, type Settings } from '../../../src/config/index.js';
import { EventBus, type EventRecord } from '../../../src/events/index.js';
import { createTftpService, decodeTftp, type TftpPacket, type TftpService } from '../../../src/tftp/index.js';
import { freeUdpPort } from '../../dhcp/support/ports.js';

export interface TftpFixture {
  service: TftpService;
  port: number;
  dir: string;
  files: Map<string, string>;
  /** File contents by served name. */
  content: Map<string, Buffer>;
  events: EventRecord[];
  stop(): Promise<void>;
}

/** Files: ipxe.efi (850 KB random), undionly.kpxe (70 KB), empty.bin, exact.bin (4 x 1468), motd.txt (text), progress.bin (400 KB). */
export async function startTftp(tweak: (s: Settings) => void = () => undefined): Promise<TftpFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'mbx-tftp-'));
  const content = new Map<string, Buffer>([
    ['ipxe.efi', randomBytes(850_528)],
    ['undionly.kpxe', randomBytes(70_000)],
    ['empty.bin', Buffer.alloc(0)],
    ['exact.bin', randomBytes(4 * 1468)],
    ['motd.txt', Buffer.from('line one\nline two\rbare\n')],
    ['progress.bin', randomBytes(400_000)],
  ]);
  const files = new Map<string, string>();
  for (const [name, data] of content) {
    const path = join(dir, name);
    await writeFile(path, data);
    files.set(name, path);
  }
  const settings = defaultSettings();
  settings.tftp.port = await freeUdpPort();
  tweak(settings);
  const bus = new EventBus();
  const events: EventRecord[] = [];
  bus.subscribe((r) => events.push(r));
  const service = createTftpService({ settings, events: bus, files });
  await service.start();
  return {
    service,
    port: settings.tftp.port,
    dir,
    files,
    content,
    events,
    async stop() {
      await service.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A raw socket that records every decoded packet it receives, with the sender's port. */
export class RawPeer {
  readonly got: { packet: TftpPacket; port: number; t: number }[] = [];
  private constructor(readonly sock: Socket) {
    sock.on('message', (m, r) => {
      const d = decodeTftp(m);
      if (d.ok) this.got.push({ packet: d.packet, port: r.port, t: Date.now() });
    });
  }

  static async open(): Promise<RawPeer> {
    const s = createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    return new RawPeer(s);
  }

  send(buf: Buffer, port: number): void {
    this.sock.send(buf, port, '127.0.0.1', () => undefined);
  }

  ofKind(op: TftpPacket['op']): { packet: TftpPacket; port: number; t: number }[] {
    return this.got.filter((g) => g.packet.op === op);
  }

  /** Close after pending sends have left. */
  close(): void {
    setImmediate(() => this.sock.close());
  }
}
