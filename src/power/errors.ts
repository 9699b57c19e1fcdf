import { MetalboxError } from '../util/errors.js';

/**
 * Every power failure is one of these, so the console and scripts can tell "the BMC is not there" from
 * "the password is wrong" from "this BMC cannot do that".
 */
export const POWER_ERROR_CODES = {
  unreachable: 'POWER_UNREACHABLE',
  auth: 'POWER_AUTH_FAILED',
  unsupported: 'POWER_UNSUPPORTED',
  bmc: 'POWER_BMC_ERROR',
  certMismatch: 'POWER_CERT_MISMATCH',
  config: 'POWER_CONFIG_INVALID',
  toolMissing: 'POWER_TOOL_MISSING',
} as const;

export type PowerErrorKind = keyof typeof POWER_ERROR_CODES;

export function unreachable(target: string, detail: string, cause?: unknown): MetalboxError {
  return new MetalboxError(POWER_ERROR_CODES.unreachable, `cannot reach ${target}: ${detail}`, {
    hint:
      'check the BMC address and port, that the BMC has power and its network cable (dedicated or shared NIC), ' +
      'and that this box can reach that network (ping the address)',
    cause,
  });
}

export function authFailed(target: string, detail: string): MetalboxError {
  return new MetalboxError(POWER_ERROR_CODES.auth, `${target} refused the user name or password (${detail})`, {
    hint:
      'check spec.bmc.user and spec.bmc.pass, or the Secret that userFrom/passFrom point to; ' +
      'the user needs the ADMINISTRATOR or OPERATOR privilege, and some BMCs lock the account after a few failures',
  });
}

export function unsupported(target: string, what: string, hint?: string): MetalboxError {
  return new MetalboxError(POWER_ERROR_CODES.unsupported, `${target} cannot ${what}`, {
    hint: hint ?? 'choose another power driver for this server (annotation metalbox.dev/power-driver), or do it by hand',
  });
}

export function bmcError(target: string, detail: string, hint?: string): MetalboxError {
  return new MetalboxError(POWER_ERROR_CODES.bmc, `${target} answered with an error: ${detail}`, {
    hint: hint ?? 'retry in a minute; if it persists, look at the BMC\'s own event log or reset the BMC (not the server)',
  });
}

export function configInvalid(server: string, detail: string, hint: string): MetalboxError {
  return new MetalboxError(POWER_ERROR_CODES.config, `server ${server}: ${detail}`, { hint });
}

/** Replace every occurrence of a secret in text that may end up in an error, a log or an event. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length > 0) out = out.split(s).join('***');
  return out;
}

/** An error as one line for events and the console: the message, then what to do. */
export function oneLine(e: unknown): string {
  if (e instanceof MetalboxError) return e.hint ? `${e.message}; ${e.hint}` : e.message;
  return e instanceof Error ? e.message : String(e);
}
