/** Free unprivileged ports for the demo: DHCP needs two in a row (server and client, like 67 and 68). */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

function udpFree(port: number, address = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.once('error', () => resolve(false));
    s.bind({ port, address, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '0.0.0.0', () => s.close(() => resolve(true)));
  });
}

export interface DemoPorts {
  dhcp: number;
  proxy: number;
  tftp: number;
  http: number;
  /** Talos's event sink (gRPC) and kernel log receiver (TCP). */
  events: number;
  kernelLog: number;
}

export async function freePorts(): Promise<DemoPorts> {
  const taken = new Set<number>();
  const pick = async (check: (p: number) => Promise<boolean>, pair = false): Promise<number> => {
    for (let i = 0; i < 200; i++) {
      const p = 20000 + Math.floor(Math.random() * 40000);
      if (taken.has(p) || taken.has(p + 1)) continue;
      if (!(await check(p)) || (pair && !(await check(p + 1)))) continue;
      taken.add(p);
      if (pair) taken.add(p + 1);
      return p;
    }
    throw new Error('no free port found for the demo');
  };
  const dhcp = await pick((p) => udpFree(p), true);
  const proxy = await pick((p) => udpFree(p, '0.0.0.0'));
  const tftp = await pick((p) => udpFree(p, '0.0.0.0'));
  const http = await pick(tcpFree);
  const events = await pick(tcpFree);
  const kernelLog = await pick(tcpFree);
  return { dhcp, proxy, tftp, http, events, kernelLog };
}
