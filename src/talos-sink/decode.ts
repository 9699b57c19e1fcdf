/**
 * Talos's events, decoded: the `google.protobuf.Any` of an `events.EventRequest` (type URL and bytes)
 * becomes one of the plain values below, or a reason it could not be. Pure: no sockets, no store. Every
 * string is cut to a bound, so nothing a machine sends grows Metalbox's memory or its state file.
 */
import { isIP } from 'node:net';
import type protobuf from 'protobufjs';

export type SequenceAction = 'NOOP' | 'START' | 'STOP';
export type StartStop = 'START' | 'STOP';

export type TalosEvent =
  | { kind: 'sequence'; sequence: string; action: SequenceAction; error?: { code: string; message: string } }
  | { kind: 'phase'; phase: string; action: StartStop }
  | { kind: 'task'; task: string; action: StartStop }
  | { kind: 'service'; service: string; action: string; message: string }
  | { kind: 'address'; hostname: string; addresses: string[] }
  | { kind: 'config-load-error'; error: string }
  | { kind: 'config-validation-error'; error: string }
  | { kind: 'machine-status'; stage: string; ready: boolean; unmet: { name: string; reason: string }[] };

export type Decoded = { ok: true; event: TalosEvent } | { ok: false; reason: string; unknownType?: boolean };

const PREFIX = 'type.googleapis.com/';
/** The messages Metalbox reads (Sidero's events-manager reads the same). */
export const EVENT_TYPES = [
  'machine.SequenceEvent',
  'machine.PhaseEvent',
  'machine.TaskEvent',
  'machine.ServiceStateEvent',
  'machine.AddressEvent',
  'machine.ConfigLoadErrorEvent',
  'machine.ConfigValidationErrorEvent',
  'machine.MachineStatusEvent',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Longest name (sequence, phase, task, service, hostname) kept. */
export const MAX_NAME = 253;
/** Longest message (an error, a service message) kept. */
export const MAX_MESSAGE = 2048;
/** Most addresses kept from one AddressEvent. */
export const MAX_ADDRESSES = 32;

/** Printable, bounded text: control characters become spaces, the tail is cut with an ellipsis. */
export function cleanText(v: unknown, max: number): string {
  if (typeof v !== 'string') return '';
  // eslint-disable-next-line no-control-regex
  const s = v.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function str(o: Record<string, unknown>, key: string, max = MAX_NAME): string {
  return cleanText(o[key], max);
}

function action<A extends string>(v: unknown, allowed: readonly A[]): A | undefined {
  return typeof v === 'string' && (allowed as readonly string[]).includes(v) ? (v as A) : undefined;
}

/** The decoded message as plain data: enums by name, defaults filled in. */
function plain(root: protobuf.Root, type: EventType, value: Uint8Array): Record<string, unknown> {
  const t = root.lookupType(type);
  // A plain Uint8Array view: protobufjs reads a Node Buffer without bounds checks on strings (a truncated
  // message would decode); its plain reader refuses it.
  const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return t.toObject(t.decode(bytes), { enums: String, longs: String, defaults: true, arrays: true }) as Record<string, unknown>;
}

function sequenceEvent(o: Record<string, unknown>): TalosEvent | string {
  const act = action(o['action'], ['NOOP', 'START', 'STOP'] as const);
  if (!act) return `unknown sequence action ${String(o['action'])}`;
  const err = o['error'] as Record<string, unknown> | null | undefined;
  const ev: TalosEvent = { kind: 'sequence', sequence: str(o, 'sequence'), action: act };
  if (err) ev.error = { code: typeof err['code'] === 'string' ? err['code'] : String(err['code']), message: str(err, 'message', MAX_MESSAGE) };
  return ev;
}

function startStop(o: Record<string, unknown>, kind: 'phase' | 'task'): TalosEvent | string {
  const act = action(o['action'], ['START', 'STOP'] as const);
  if (!act) return `unknown ${kind} action ${String(o['action'])}`;
  return kind === 'phase' ? { kind, phase: str(o, 'phase'), action: act } : { kind, task: str(o, 'task'), action: act };
}

function addressEvent(o: Record<string, unknown>): TalosEvent {
  const list = Array.isArray(o['addresses']) ? (o['addresses'] as unknown[]) : [];
  const addresses = [...new Set(list.filter((a): a is string => typeof a === 'string' && isIP(a) !== 0))].slice(0, MAX_ADDRESSES);
  return { kind: 'address', hostname: str(o, 'hostname'), addresses };
}

function machineStatus(o: Record<string, unknown>): TalosEvent {
  const st = (o['status'] ?? {}) as Record<string, unknown>;
  const unmet = (Array.isArray(st['unmet_conditions']) ? (st['unmet_conditions'] as Record<string, unknown>[]) : [])
    .slice(0, 16)
    .map((c) => ({ name: str(c, 'name'), reason: str(c, 'reason', 256) }));
  return { kind: 'machine-status', stage: typeof o['stage'] === 'string' ? o['stage'] : 'UNKNOWN', ready: st['ready'] === true, unmet };
}

function fromPlain(type: EventType, o: Record<string, unknown>): TalosEvent | string {
  switch (type) {
    case 'machine.SequenceEvent':
      return sequenceEvent(o);
    case 'machine.PhaseEvent':
      return startStop(o, 'phase');
    case 'machine.TaskEvent':
      return startStop(o, 'task');
    case 'machine.ServiceStateEvent':
      return { kind: 'service', service: str(o, 'service'), action: typeof o['action'] === 'string' ? o['action'] : 'UNKNOWN', message: str(o, 'message', MAX_MESSAGE) };
    case 'machine.AddressEvent':
      return addressEvent(o);
    case 'machine.ConfigLoadErrorEvent':
      return { kind: 'config-load-error', error: str(o, 'error', MAX_MESSAGE) };
    case 'machine.ConfigValidationErrorEvent':
      return { kind: 'config-validation-error', error: str(o, 'error', MAX_MESSAGE) };
    case 'machine.MachineStatusEvent':
      return machineStatus(o);
  }
}

/** Decode one event payload. An unknown type is not an error (newer Talos publishes more kinds). */
export function decodeEvent(root: protobuf.Root, typeUrl: string, value: Uint8Array): Decoded {
  if (!typeUrl.startsWith(PREFIX)) return { ok: false, reason: `not a protobuf type URL: ${cleanText(typeUrl, 80) || '(empty)'}`, unknownType: true };
  const name = typeUrl.slice(PREFIX.length);
  if (!(EVENT_TYPES as readonly string[]).includes(name)) return { ok: false, reason: `event type ${cleanText(name, 80)} is not read`, unknownType: true };
  let o: Record<string, unknown>;
  try {
    o = plain(root, name as EventType, value);
  } catch (e) {
    return { ok: false, reason: `${name} does not decode: ${(e as Error).message}` };
  }
  const ev = fromPlain(name as EventType, o);
  return typeof ev === 'string' ? { ok: false, reason: `${name}: ${ev}` } : { ok: true, event: ev };
}
