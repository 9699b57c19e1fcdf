/**
 * A simulated machine's "BMC": a QMP (QEMU Machine Protocol) endpoint on the machine's own loopback
 * address, as a QEMU VM started with `-S -qmp tcp:…,server` has, so Metalbox's qemu power driver powers the
 * demo rack on, off and cycles it over a real socket. Off is a paused VM; `cont` powers on.
 */
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { annotations, type Resource } from '../api/index.js';
import type { Store } from '../store/index.js';

/** What the endpoint drives. */
export interface QmpMachine {
  readonly powered: boolean;
  powerOn(): void;
  powerOff(): void;
  reset(): void;
}

type Reply = { return: unknown } | { error: { class: string; desc: string } };

const GREETING = { QMP: { version: { qemu: { major: 8, minor: 2, micro: 0 }, package: 'metalbox demo' }, capabilities: [] } };

/** The answer to one command; `ready` is whether capabilities were negotiated on this connection. */
export function qmpReply(m: QmpMachine, command: string, ready: boolean): Reply {
  if (!ready && command !== 'qmp_capabilities') return { error: { class: 'CommandNotFound', desc: "Expecting capabilities negotiation with 'qmp_capabilities'" } };
  switch (command) {
    case 'qmp_capabilities':
      return { return: {} };
    case 'query-status':
      return { return: { status: m.powered ? 'running' : 'paused', running: m.powered, singlestep: false } };
    case 'cont':
      m.powerOn();
      return { return: {} };
    case 'stop':
    case 'system_powerdown':
      m.powerOff();
      return { return: {} };
    case 'system_reset':
      // A paused VM stays paused; a running one starts over (a power cycle).
      if (m.powered) m.reset();
      return { return: {} };
    default:
      return { error: { class: 'CommandNotFound', desc: `The command ${command} has not been found` } };
  }
}

export class QmpEndpoint {
  private server: NetServer | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly machine: QmpMachine,
    private readonly address: string,
  ) {}

  /** Listen on a free port of the machine's address; resolves to `address:port` for the annotation. */
  async start(): Promise<string> {
    const server = createServer((s) => this.serve(s));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, this.address, () => resolve());
    });
    const port = (server.address() as { port: number }).port;
    return `${this.address}:${port}`;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private serve(sock: Socket): void {
    this.sockets.add(sock);
    sock.on('close', () => this.sockets.delete(sock));
    sock.on('error', () => undefined);
    sock.setEncoding('utf8');
    sock.write(`${JSON.stringify(GREETING)}\n`);
    let ready = false;
    let buf = '';
    sock.on('data', (chunk: string) => {
      buf += chunk;
      if (buf.length > 65536) return sock.destroy(); // not QMP
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (!line) continue;
        let command = '';
        try {
          command = String((JSON.parse(line) as { execute?: unknown }).execute ?? '');
        } catch {
          sock.write(`${JSON.stringify({ error: { class: 'GenericError', desc: 'JSON parse error' } })}\n`);
          continue;
        }
        const reply = qmpReply(this.machine, command, ready);
        if (command === 'qmp_capabilities') ready = true;
        sock.write(`${JSON.stringify(reply)}\n`);
      }
    });
  }
}

/** What an operator would set on each Server: the qemu power driver and its machine's QMP address. */
export interface BmcRegistry {
  app: { store: Pick<Store, 'watch' | 'list' | 'mutate'> };
  /** Server name (the machine's SMBIOS UUID) to `address:port`. */
  endpoints: Map<string, string>;
  log(line: string): void;
}

/** Annotate each simulated server with its BMC as it is discovered (and any already there); returns the stop. */
export function registerBmcs(r: BmcRegistry): () => void {
  const annotate = (s: Resource) => {
    const qmp = r.endpoints.get(s.metadata.name);
    const a = s.metadata.annotations ?? {};
    if (!qmp || (a[annotations.POWER_DRIVER] && a[annotations.QEMU_QMP])) return;
    r.app.store
      .mutate<Resource>('Server', s.metadata.name, undefined, (cur) => {
        cur.metadata.annotations = { ...cur.metadata.annotations, [annotations.POWER_DRIVER]: 'qemu', [annotations.QEMU_QMP]: qmp };
      })
      .catch((e: unknown) => r.log(`could not register the BMC of ${s.metadata.name}: ${(e as Error).message}`));
  };
  const off = r.app.store.watch((e) => e.type !== 'DELETED' && annotate(e.object), { kinds: ['Server'] });
  for (const s of r.app.store.list('Server')) annotate(s);
  return off;
}
