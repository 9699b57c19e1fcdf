/**
 * A UDP socket inside a lab namespace, driven over JSON lines (run it with startNode):
 *   config {port, address?}            bind there (0.0.0.0 by default), broadcast allowed
 *   op send {hex, address, port}       send one datagram
 *   op sendMany {packets: [{hex, address, port}]}  send many, as fast as the socket takes them
 *   message {type: 'udp', hex, from, fromPort, t}  every datagram received (t = ms since epoch)
 */
import { createSocket } from 'node:dgram';
import { serveChild } from './node-child.js';

interface AgentConfig {
  port: number;
  address?: string;
}

type Packet = { hex: string; address: string; port: number };

void serveChild<AgentConfig>(async (config, emit) => {
  const sock = createSocket({ type: 'udp4', reuseAddr: true });
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind({ port: config.port, address: config.address ?? '0.0.0.0' }, () => resolve());
  });
  sock.setBroadcast(true);
  sock.on('error', () => undefined);
  sock.on('message', (msg, rinfo) => emit({ type: 'udp', hex: msg.toString('hex'), from: rinfo.address, fromPort: rinfo.port, t: Date.now() }));
  // A client without a route for the destination (e.g. 255.255.255.255 with no default route) gets an error.
  const send = (p: Packet) =>
    new Promise<void>((resolve, reject) => sock.send(Buffer.from(p.hex, 'hex'), p.port, p.address, (e) => (e ? reject(e) : resolve())));
  return {
    ready: { port: sock.address().port },
    ops: {
      send: (a) => send(a as unknown as Packet),
      sendMany: async (a) => {
        for (const p of (a as unknown as { packets: Packet[] }).packets) await send(p);
        return null;
      },
    },
    stop: () => new Promise<void>((r) => sock.close(() => r())),
  };
});
