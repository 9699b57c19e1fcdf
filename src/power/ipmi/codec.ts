/**
 * IPMI chassis commands as `ipmitool raw` arguments, and the parsing of what comes back. The bytes are
 * the ones Sidero's goipmi sends (IPMI v2.0 section 28): Chassis Status, Chassis Control and Set System
 * Boot Options. Pure functions.
 */
import type { BootDevice, BootOptions } from '../types.js';

const hex = (b: number): string => `0x${b.toString(16).padStart(2, '0')}`;
const raw = (netfn: number, cmd: number, data: number[] = []): string[] => ['raw', hex(netfn), hex(cmd), ...data.map(hex)];

const NETFN_CHASSIS = 0x00;
const NETFN_APP = 0x06;

export type ChassisControl = 'off' | 'on' | 'cycle' | 'reset' | 'soft';
const CONTROL_CODE: Record<ChassisControl, number> = { off: 0x00, on: 0x01, cycle: 0x02, reset: 0x03, soft: 0x05 };

export const getDeviceId = (): string[] => raw(NETFN_APP, 0x01);
export const chassisStatus = (): string[] => raw(NETFN_CHASSIS, 0x01);
export const chassisControl = (c: ChassisControl): string[] => raw(NETFN_CHASSIS, 0x02, [CONTROL_CODE[c]]);

/** Boot option parameter 0 "set in progress": 1 = set in progress, 2 = commit write, 0 = set complete. */
export const setInProgress = (v: 0 | 1 | 2): string[] => raw(NETFN_CHASSIS, 0x08, [0x00, v]);
/** Parameter 4, boot info acknowledge: clear the BIOS's acknowledgement so it reads the new flags. */
export const bootInfoAck = (): string[] => raw(NETFN_CHASSIS, 0x08, [0x04, 0x01, 0x01]);

/** Parameter 5, boot flags: byte 1 = valid | persistent | EFI, byte 2 = device selector. */
export function bootFlagBytes(device: BootDevice, opts: BootOptions = {}): number[] {
  let flags = 0x80;
  if (opts.persistent) flags |= 0x40;
  if (opts.uefi) flags |= 0x20;
  const selector = device === 'pxe' ? 0x04 : 0x08;
  return [flags, selector, 0x00, 0x00, 0x00];
}
export const setBootFlags = (device: BootDevice, opts?: BootOptions): string[] =>
  raw(NETFN_CHASSIS, 0x08, [0x05, ...bootFlagBytes(device, opts)]);

/** The bytes `ipmitool raw` prints: hex pairs separated by spaces and newlines. */
export function parseRawBytes(stdout: string): number[] {
  const tokens = stdout.trim().split(/\s+/).filter((t) => t.length > 0);
  const out: number[] = [];
  for (const t of tokens) {
    if (!/^[0-9a-fA-F]{1,2}$/.test(t)) throw new Error(`unexpected output from ipmitool raw: ${JSON.stringify(stdout.slice(0, 80))}`);
    out.push(parseInt(t, 16));
  }
  return out;
}

/** Chassis Status byte 1 bit 0: system power is on. */
export function powerFromChassisStatus(bytes: number[]): 'on' | 'off' {
  if (bytes.length < 1) throw new Error('empty Chassis Status response');
  return (bytes[0]! & 0x01) === 1 ? 'on' : 'off';
}

/** What went wrong, read from ipmitool's verbose output. */
export type IpmiFailure =
  | { kind: 'cipher'; detail: string }
  | { kind: 'auth'; detail: string }
  | { kind: 'privilege'; detail: string }
  | { kind: 'busy'; detail: string }
  | { kind: 'unsupported'; detail: string; completionCode: number }
  | { kind: 'bmc'; detail: string; completionCode?: number }
  | { kind: 'unreachable'; detail: string };

const CIPHER_REFUSED = [
  'invalid authentication algorithm',
  'invalid integrity algorithm',
  'invalid confidentiality algorithm',
  'no cipher suite match',
  'no matching authentication payload',
  'no matching integrity payload',
  'unsupported cipher suite',
  'invalid cipher suite',
];
const AUTH_REFUSED = [
  'rakp 2 hmac is invalid',
  'rakp 4 hmac is invalid',
  'unauthorized name',
  'invalid name length',
  'invalid integrity check value',
  'unauthorized role',
  'invalid role',
  'password is invalid',
  'authentication type',
];
const BUSY = ['insufficient resources', 'node busy'];
const UNREACHABLE = ['get auth capabilities error', 'no response from remote controller', 'address lookup for', 'unable to establish', 'timeout'];

/** Completion codes that mean "this BMC cannot do that" rather than "something broke". */
const UNSUPPORTED_CC = new Set([0xc1, 0xc9, 0xcc, 0xd5, 0x80]);

/** Classify a failed ipmitool run from its combined stderr/stdout. */
export function classifyIpmitoolOutput(output: string): IpmiFailure {
  const text = output.toLowerCase();
  const cc = /rsp=0x([0-9a-f]{2})\)?:?\s*([^\n]*)/.exec(text);
  if (cc) {
    const code = parseInt(cc[1]!, 16);
    const detail = `completion code 0x${cc[1]}${cc[2] ? ` (${cc[2].trim()})` : ''}`;
    if (code === 0xd4) return { kind: 'privilege', detail };
    if (code === 0xc0) return { kind: 'busy', detail };
    if (UNSUPPORTED_CC.has(code)) return { kind: 'unsupported', detail, completionCode: code };
    return { kind: 'bmc', detail, completionCode: code };
  }
  const line = firstMeaningfulLine(output);
  if (CIPHER_REFUSED.some((s) => text.includes(s))) return { kind: 'cipher', detail: line };
  if (AUTH_REFUSED.some((s) => text.includes(s))) return { kind: 'auth', detail: line };
  if (BUSY.some((s) => text.includes(s))) return { kind: 'busy', detail: line };
  if (UNREACHABLE.some((s) => text.includes(s))) return { kind: 'unreachable', detail: line };
  return { kind: 'bmc', detail: line };
}

const NOISE = /^(loading iana pen registry|running get vso capabilities|invalid completion code received|discovered ipmb address|raw (req|rsp))/i;

function firstMeaningfulLine(output: string): string {
  const lines = output.split('\n').map((l) => l.replace(/^>\s*/, '').trim()).filter((l) => l && !NOISE.test(l));
  const specific = lines.find((l) => !/^error: unable to establish/i.test(l));
  return (specific ?? lines[0] ?? 'no output').slice(0, 200);
}
