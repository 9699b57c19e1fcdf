/** Free UDP ports for tests that run servers on loopback instead of 67/68/69. */
import { createSocket } from 'node:dgram';

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.once('error', () => {
      s.close();
      resolve(false);
    });
    s.bind(port, '0.0.0.0', () => s.close(() => resolve(true)));
  });
}

/** A port p such that p and p + 1 are free (DHCP server and client ports). */
export async function freeUdpPortPair(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const p = 20000 + Math.floor(Math.random() * 40000);
    if ((await bindable(p)) && (await bindable(p + 1))) return p;
  }
  throw new Error('no free UDP port pair');
}

export async function freeUdpPort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const p = 20000 + Math.floor(Math.random() * 40000);
    if (await bindable(p)) return p;
  }
  throw new Error('no free UDP port');
}
