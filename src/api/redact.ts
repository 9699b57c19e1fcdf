/**
 * Redaction for display: BMC passwords, Secret data, and the Talos credentials some provider fields carry
 * are replaced by a marker unless the operator asks for secrets. validateResource refuses the marker as a
 * value, so redacted YAML applied back can never overwrite a real secret.
 */
import type { Resource } from './meta.js';
import { isPlainObject } from './schema/walk.js';

/** What a hidden value shows as. */
export const REDACTED = '<redacted>';

export interface RedactOptions {
  /** Show secrets as they are (`--show-secrets`). */
  showSecrets?: boolean;
}

type Obj = Record<string, unknown>;

function hide(o: unknown, key: string): void {
  if (isPlainObject(o) && o[key] !== undefined) o[key] = REDACTED;
}

function hideAllValues(o: unknown): void {
  if (!isPlainObject(o)) return;
  for (const k of Object.keys(o)) o[k] = REDACTED;
}

/** A TalosConfigSpec's `data` is a complete machine config, keys and all. */
function hideTalosConfigSpec(spec: unknown): void {
  hide(spec, 'data');
}

const REDACTORS: Record<string, (o: Obj) => void> = {
  Server: (o) => {
    hide(isPlainObject(o['spec']) ? o['spec']['bmc'] : undefined, 'pass');
    // The boot token's hash: not the token, but treated like a secret all the same.
    hide(isPlainObject(o['metadata']) ? o['metadata']['annotations'] : undefined, 'metalbox.dev/boot-token');
  },
  Secret: (o) => {
    hideAllValues(o['data']);
    hideAllValues(o['stringData']);
  },
  TalosConfig: (o) => {
    hideTalosConfigSpec(o['spec']);
    hide(o['status'], 'talosConfig');
  },
  TalosConfigTemplate: (o) => {
    const t = isPlainObject(o['spec']) ? o['spec']['template'] : undefined;
    hideTalosConfigSpec(isPlainObject(t) ? t['spec'] : undefined);
  },
  TalosControlPlane: (o) => {
    const cfg = isPlainObject(o['spec']) ? o['spec']['controlPlaneConfig'] : undefined;
    if (!isPlainObject(cfg)) return;
    hideTalosConfigSpec(cfg['controlplane']);
    hideTalosConfigSpec(cfg['init']);
  },
};

/** A copy of `r` with secrets replaced by REDACTED (or `r` itself when showSecrets is set). */
export function redact<R extends Resource>(r: R, opts: RedactOptions = {}): R {
  if (opts.showSecrets) return r;
  const redactor = REDACTORS[r.kind];
  if (!redactor) return r;
  const copy = structuredClone(r);
  redactor(copy as unknown as Obj);
  return copy;
}
