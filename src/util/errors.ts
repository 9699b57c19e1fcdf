/**
 * Errors are values with a stable code and a message that tells the operator what to do.
 * Codes are part of the contract with scripts (`metalbox ... ; echo $?` plus the printed code).
 */
export class MetalboxError extends Error {
  readonly code: string;
  /** What to do about it, in the operator's words. */
  readonly hint: string | undefined;

  constructor(code: string, message: string, opts: { hint?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'MetalboxError';
    this.code = code;
    this.hint = opts.hint;
  }

  /** One or two lines for a terminal: the message, then the hint. */
  describe(): string {
    return this.hint ? `${this.message}\n  ${this.hint}` : this.message;
  }
}

export function isMetalboxError(e: unknown, code?: string): e is MetalboxError {
  return e instanceof MetalboxError && (code === undefined || e.code === code);
}

/** A readable message for anything thrown. */
export function errorMessage(e: unknown): string {
  if (e instanceof MetalboxError) return e.describe();
  if (e instanceof Error) return e.message;
  return String(e);
}

/** Node's errno code of a system error, if any. */
export function errnoCode(e: unknown): string | undefined {
  if (e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'string') {
    return (e as { code: string }).code;
  }
  return undefined;
}

/**
 * The error for binding a privileged port without privilege, shared by DHCP, TFTP and HTTP.
 */
export function bindError(service: string, port: number, e: unknown): MetalboxError {
  const errno = errnoCode(e);
  if (errno === 'EACCES' || errno === 'EPERM') {
    return new MetalboxError(
      'BIND_PERMISSION',
      `${service}: no permission to bind port ${port}`,
      {
        hint:
          'run metalbox as root, or grant the capability once: ' +
          'sudo setcap cap_net_bind_service=+ep "$(readlink -f "$(command -v node)")"',
        cause: e,
      },
    );
  }
  if (errno === 'EADDRINUSE') {
    return new MetalboxError('BIND_IN_USE', `${service}: port ${port} is already in use by another program`, {
      hint: `stop the other program (for example: ss -lunp | grep :${port}) or choose another port in metalbox.yaml`,
      cause: e,
    });
  }
  return new MetalboxError('BIND_FAILED', `${service}: cannot bind port ${port}: ${errorMessage(e)}`, { cause: e });
}
