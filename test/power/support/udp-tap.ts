/**
 * A transparent UDP relay that records every datagram passing through: put between ipmitool and ipmi_sim,
 * it shows what went over the wire (with cipher suite 0 the IPMI messages are in clear).
 */
import { createSocket, type Socket } from 'node:dgram';

export class UdpTap {
  readonly toServer: Buffer[] = [];
  port = 0;
  private readonly front = createSocket('udp4');
  private readonly upstreams = new Map<string, Socket>();

  constructor(private readonly serverPort: number) {}

  async start(): Promise<void> {
    this.front.on('message', (msg, client) => {
      this.toServer.push(Buffer.from(msg));
      const key = `${client.address}:${client.port}`;
      let up = this.upstreams.get(key);
      if (!up) {
        up = createSocket('udp4');
        up.on('message', (reply) => this.front.send(reply, client.port, client.address));
        this.upstreams.set(key, up);
      }
      up.send(msg, this.serverPort, '127.0.0.1');
    });
    await new Promise<void>((r) => this.front.bind(0, '127.0.0.1', r));
    this.port = this.front.address().port;
  }

  /** Whether some datagram sent to the server contains these bytes in order. */
  sawBytes(bytes: number[]): boolean {
    const needle = Buffer.from(bytes);
    return this.toServer.some((d) => d.includes(needle));
  }

  stop(): void {
    for (const u of this.upstreams.values()) u.close();
    this.front.close();
  }
}
