/** Core `v1` Secret: bootstrap data (`Machine.spec.bootstrap.dataSecretName`, key `value`) and BMC credentials. */
import type { ObjectMeta } from '../meta.js';

export interface Secret {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata: ObjectMeta;
  /** Values are base64. After validation every `stringData` entry has been folded in here. */
  data?: Record<string, string>;
  /** Write-only convenience, as in Kubernetes: merged into `data` by validation. */
  stringData?: Record<string, string>;
  /** Defaults to `Opaque`. */
  type?: string;
  immutable?: boolean;
}
