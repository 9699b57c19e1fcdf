/**
 * What a simulated machine tells Metalbox the way Talos does: machine events published to the event sink
 * (`talos.events.sink=host:port`, gRPC `events.EventSinkService/Publish` over plain HTTP/2), from the
 * machine's own address, so the sink knows which server is talking. Messages are encoded with Talos's
 * own definitions (assets/proto, loaded by src/talos-sink).
 */
import { connect as http2Connect, constants } from 'node:http2';
import { connect as netConnect } from 'node:net';
import type protobuf from 'protobufjs';
import { loadEventMessages } from '../talos-sink/index.js';

export interface TalosEventOut {
  /** `machine.PhaseEvent`, `machine.SequenceEvent`, `machine.AddressEvent`. */
  type: string;
  value: Record<string, unknown>;
}

let root: protobuf.Root | undefined;

function varint(n: number): Buffer {
  const out: number[] = [];
  let v = n;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return Buffer.from(out);
}

/** A length-delimited protobuf field. */
function field(no: number, bytes: Buffer): Buffer {
  return Buffer.concat([varint((no << 3) | 2), varint(bytes.length), bytes]);
}

/** `events.EventRequest{data: Any{type_url, value}, id, actor_id}`. */
export function eventRequest(e: TalosEventOut, id: string): Buffer {
  root ??= loadEventMessages();
  const type = root.lookupType(e.type);
  const value = Buffer.from(type.encode(type.fromObject(e.value)).finish());
  const any = Buffer.concat([field(1, Buffer.from(`type.googleapis.com/${e.type}`)), field(2, value)]);
  return Buffer.concat([field(1, any), field(2, Buffer.from(id))]);
}

/** Publish events in order; false when the sink is not there or refuses one. */
export function publishEvents(sink: string, from: string, events: TalosEventOut[]): Promise<boolean> {
  const colon = sink.lastIndexOf(':');
  const host = sink.slice(0, colon).replace(/^\[|\]$/g, '');
  const port = Number(sink.slice(colon + 1));
  return new Promise((resolve) => {
    const session = http2Connect(`http://${host}:${port}`, { createConnection: () => netConnect({ host, port, localAddress: from }) });
    const done = (ok: boolean) => {
      session.close();
      resolve(ok);
    };
    session.on('error', () => done(false));
    session.setTimeout(10_000, () => done(false));
    const send = (i: number): void => {
      if (i >= events.length) return done(true);
      const body = eventRequest(events[i]!, `demo-${Date.now()}-${i}`);
      const frame = Buffer.concat([Buffer.from([0]), Buffer.alloc(4), body]);
      frame.writeUInt32BE(body.length, 1);
      const req = session.request({
        [constants.HTTP2_HEADER_METHOD]: 'POST',
        [constants.HTTP2_HEADER_PATH]: '/events.EventSinkService/Publish',
        'content-type': 'application/grpc',
        te: 'trailers',
      });
      let status = '';
      req.on('trailers', (t) => (status = String(t['grpc-status'] ?? '')));
      req.on('response', (h) => {
        if (h['grpc-status'] !== undefined) status = String(h['grpc-status']);
      });
      req.on('error', () => done(false));
      req.on('end', () => (status === '0' ? send(i + 1) : done(false)));
      req.resume();
      req.end(frame);
    };
    send(0);
  });
}
