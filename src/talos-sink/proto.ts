/**
 * The protobuf definitions Talos speaks to the sink, loaded from the .proto files Metalbox ships in
 * assets/proto: the event sink service (for gRPC, through proto-loader) and the event messages carried in
 * its `google.protobuf.Any` (for decoding, through protobufjs). Loaded once per service start.
 */
import { join } from 'node:path';
import { loadPackageDefinition, type ServiceDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import { installRoot } from '../api/index.js';
import { errorMessage, MetalboxError } from '../util/errors.js';

export const EVENTS_PROTO = 'events/events.proto';
export const MACHINE_PROTO = 'machine/machine.proto';

export interface SinkProtos {
  /** `events.EventSinkService`, for a grpc-js server (or a test's client). */
  service: ServiceDefinition;
  /** The messages of machine.proto and common.proto, to decode event payloads. */
  root: protobuf.Root;
}

export function protoDir(): string {
  return join(installRoot(), 'assets', 'proto');
}

function missing(dir: string, e: unknown): MetalboxError {
  return new MetalboxError('TALOS_PROTO_MISSING', `the Talos event definitions cannot be read in ${dir}: ${errorMessage(e)}`, {
    hint: 'reinstall Metalbox; the assets/proto folder is part of it',
    cause: e,
  });
}

/** The grpc-js service definition of `events.EventSinkService`, as proto-loader builds it. */
export function loadSinkService(dir: string = protoDir()): ServiceDefinition {
  try {
    const def = loadSync([EVENTS_PROTO], { includeDirs: [dir], keepCase: true, longs: String, enums: String, defaults: true });
    const pkg = loadPackageDefinition(def) as unknown as { events: { EventSinkService: { service: ServiceDefinition } } };
    return pkg.events.EventSinkService.service;
  } catch (e) {
    throw missing(dir, e);
  }
}

/** A protobufjs Root with the event messages; imports resolve inside `dir` (google/protobuf/* are built in). */
export function loadEventMessages(dir: string = protoDir()): protobuf.Root {
  try {
    const root = new protobuf.Root();
    root.resolvePath = (_origin, target) => join(dir, target);
    root.loadSync([MACHINE_PROTO], { keepCase: true });
    root.resolveAll();
    return root;
  } catch (e) {
    throw missing(dir, e);
  }
}

export function loadSinkProtos(dir: string = protoDir()): SinkProtos {
  return { service: loadSinkService(dir), root: loadEventMessages(dir) };
}
