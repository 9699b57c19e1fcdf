/**
 * Talos's event sink (`talos.events.sink=<address>:<port>`): a gRPC server, plain HTTP/2 without TLS as
 * Talos dials it, implementing `events.EventSinkService/Publish`. Each event is mapped to a Server by the
 * address it comes from, decoded, and its effect written to the store (policy.ts, apply.ts), one event at
 * a time per server and in order; Talos gets its answer once the store has it. Events from addresses that
 * are no known server are answered and ignored (counted, told once). The TCP listener is Metalbox's own
 * (connections capped in all and per address) and hands each connection to grpc-js.
 */
import { createServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { Server as GrpcServer, ServerCredentials, status, type ConnectionInjector, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import type { Settings } from '../config/index.js';
import type { EventBus } from '../events/index.js';
import type { Store } from '../store/index.js';
import { bindError, errorMessage } from '../util/errors.js';
import { applyEffect } from './apply.js';
import { decodeEvent } from './decode.js';
import { ConnectionGate, DEFAULT_LIMITS, DropTeller, type GateLimits } from './guard.js';
import { addressOfPeer, type PeerDirectory } from './peers.js';
import { effectOf } from './policy.js';
import { loadSinkProtos, type SinkProtos } from './proto.js';

/** Largest gRPC message accepted (an event is a few hundred bytes). */
export const MAX_EVENT_BYTES = 64 * 1024;
/** Events waiting for the store, per server, before more are refused (Talos sends them again). */
export const MAX_QUEUED_PER_SERVER = 64;

interface EventRequest {
  id?: string;
  actor_id?: string;
  data?: { type_url?: string; value?: Buffer } | null;
}

export interface EventSinkOptions {
  settings: Settings;
  store: Store;
  events: EventBus;
  peers: PeerDirectory;
  /** Address to listen on; default all. */
  host?: string;
  /** Port; default settings.talos.eventsPort (0 picks a free one, for tests). */
  port?: number;
  protos?: SinkProtos;
  limits?: Partial<GateLimits>;
  now?: () => Date;
}

export interface EventSinkStats {
  received: number;
  applied: number;
  /** Event types Metalbox does not read (newer Talos), answered and skipped. */
  skipped: number;
  malformed: number;
  unknownPeer: number;
  /** Refused because the server's queue was full, or failed in the store. */
  failed: number;
  connections: number;
  refusedConnections: number;
}

type Reply = sendUnaryData<Record<string, never>>;

export class TalosEventSink {
  readonly name = 'events-sink' as const;
  private grpc: GrpcServer | undefined;
  private injector: ConnectionInjector | undefined;
  private listener: NetServer | undefined;
  private listening = 0;
  private readonly gate: ConnectionGate;
  private readonly teller: DropTeller;
  /** `remoteAddress:remotePort` of each open connection -> its plain address (what getPeer() names). */
  private readonly conns = new Map<string, string>();
  private readonly queues = new Map<string, { tail: Promise<void>; size: number }>();
  private readonly counts = { received: 0, applied: 0, skipped: 0, malformed: 0, unknownPeer: 0, failed: 0 };

  constructor(private readonly o: EventSinkOptions) {
    this.gate = new ConnectionGate({ ...DEFAULT_LIMITS, ...o.limits });
    this.teller = new DropTeller(o.events);
  }

  async start(): Promise<void> {
    if (this.listener) return;
    const protos = this.o.protos ?? loadSinkProtos();
    const grpc = new GrpcServer({ 'grpc.max_receive_message_length': MAX_EVENT_BYTES, 'grpc.max_send_message_length': 1024, 'grpc.max_concurrent_streams': 16 });
    grpc.addService(protos.service, { Publish: (call: ServerUnaryCall<EventRequest, unknown>, reply: Reply) => this.publish(protos, call, reply) });
    const injector = grpc.createConnectionInjector(ServerCredentials.createInsecure());
    const listener = createServer({ noDelay: true }, (s) => this.accept(injector, s));
    const port = this.o.port ?? this.o.settings.talos.eventsPort;
    await new Promise<void>((resolve, reject) => {
      listener.once('error', (e) => reject(bindError('Talos event sink', port, e)));
      listener.listen(port, this.o.host ?? '0.0.0.0', () => resolve());
    });
    listener.on('error', () => undefined);
    this.o.peers.start();
    this.listening = (listener.address() as AddressInfo).port;
    this.grpc = grpc;
    this.injector = injector;
    this.listener = listener;
  }

  async stop(): Promise<void> {
    const listener = this.listener;
    if (!listener) return;
    this.listener = undefined;
    this.injector?.destroy();
    this.grpc?.forceShutdown();
    this.injector = undefined;
    this.grpc = undefined;
    await new Promise<void>((resolve) => listener.close(() => resolve()));
    await Promise.allSettled([...this.queues.values()].map((q) => q.tail));
    this.o.peers.stop();
    this.listening = 0;
  }

  describe(): string {
    return `port ${this.listening}`;
  }

  port(): number {
    return this.listening;
  }

  stats(): EventSinkStats {
    return { ...this.counts, connections: this.gate.open, refusedConnections: this.gate.refused };
  }

  private accept(injector: ConnectionInjector, s: Socket): void {
    const address = this.gate.admit(s);
    if (address === undefined) return;
    const key = `${s.remoteAddress}:${s.remotePort}`;
    this.conns.set(key, address);
    s.once('close', () => this.conns.delete(key));
    try {
      injector.injectConnection(s);
    } catch {
      s.destroy();
    }
  }

  private publish(protos: SinkProtos, call: ServerUnaryCall<EventRequest, unknown>, reply: Reply): void {
    this.counts.received++;
    const peerName = call.getPeer();
    const peer = this.conns.get(peerName) ?? addressOfPeer(peerName);
    const server = this.o.peers.lookup(peer);
    if (!server) {
      this.counts.unknownPeer++;
      this.teller.tell(peer, 'events-unknown', 'Talos events from an address that is no known server (ignored)');
      return reply(null, {});
    }
    const data = call.request.data;
    const decoded = decodeEvent(protos.root, data?.type_url ?? '', data?.value ?? Buffer.alloc(0));
    if (!decoded.ok) {
      if (decoded.unknownType) {
        this.counts.skipped++;
        return reply(null, {});
      }
      this.counts.malformed++;
      this.teller.tell(peer, 'events-malformed', `malformed Talos event: ${decoded.reason}`);
      return reply({ code: status.INVALID_ARGUMENT, details: decoded.reason });
    }
    this.enqueue(server, peer, effectOf(decoded.event), reply);
  }

  /** One event at a time per server, in the order they came. */
  private enqueue(server: string, peer: string, effect: ReturnType<typeof effectOf>, reply: Reply): void {
    const q = this.queues.get(server) ?? { tail: Promise.resolve(), size: 0 };
    if (q.size >= MAX_QUEUED_PER_SERVER) {
      this.counts.failed++;
      return reply({ code: status.RESOURCE_EXHAUSTED, details: 'too many events waiting for this server; send again later' });
    }
    q.size++;
    this.queues.set(server, q);
    const ctx = { store: this.o.store, events: this.o.events, ...(this.o.now ? { now: this.o.now } : {}) };
    q.tail = q.tail
      .then(() => applyEffect(ctx, server, peer, effect))
      .then(
        () => {
          this.counts.applied++;
          reply(null, {});
        },
        (e: unknown) => {
          this.counts.failed++;
          this.o.events.emit({ type: 'talos.event', server, phase: 'recording a Talos event failed', detail: errorMessage(e) });
          reply({ code: status.UNAVAILABLE, details: 'Metalbox could not record the event; send it again' });
        },
      )
      .finally(() => {
        if (--q.size === 0 && this.queues.get(server) === q) this.queues.delete(server);
      });
  }
}
