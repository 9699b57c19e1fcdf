/** A UDP agent (test/lab/udp-agent.ts) in a namespace, with DHCP-aware helpers. */
import { decodePacket, encodePacket, messageType, type DhcpPacket } from '../../../src/dhcp/index.js';
import type { Host, Lab } from '../../lab/lab.js';
import { type NodeChild, startNode } from '../../lab/node.js';
import { sleep } from '../../lab/sh.js';

export class DhcpAgent {
  constructor(readonly child: NodeChild) {}

  static async start(lab: Lab, host: Host, port = 68): Promise<DhcpAgent> {
    return new DhcpAgent(await startNode(lab, host, 'test/lab/udp-agent.ts', { port }));
  }

  send(p: DhcpPacket | Buffer, address: string, port: number): Promise<unknown> {
    const buf = Buffer.isBuffer(p) ? p : encodePacket(p);
    return this.child.call('send', { hex: buf.toString('hex'), address, port });
  }

  /** Replies received so far for a transaction id. */
  replies(xid: number): { packet: DhcpPacket; from: string; fromPort: number }[] {
    const out: { packet: DhcpPacket; from: string; fromPort: number }[] = [];
    for (const m of this.child.messages) {
      if (m.type !== 'udp') continue;
      const r = decodePacket(Buffer.from(String(m.hex), 'hex'));
      if (r.ok && r.packet.xid === xid && r.packet.op === 2) out.push({ packet: r.packet, from: String(m.from), fromPort: Number(m.fromPort) });
    }
    return out;
  }

  /** Wait for a reply of a type to a transaction. */
  async reply(xid: number, type: string, timeoutMs = 5000): Promise<{ packet: DhcpPacket; from: string; fromPort: number }> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.replies(xid).find((r) => messageType(r.packet) === type);
      if (hit) return hit;
      if (Date.now() > end) throw new Error(`no ${type} for xid ${xid.toString(16)} within ${timeoutMs} ms`);
      await sleep(50);
    }
  }
}
