import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Resource } from '../../src/api/meta.js';

export const CLUSTER_SCOPED = new Set(['Server', 'ServerClass', 'Environment', 'ServerBinding']);
export const isNamespaced = (kind: string) => !CLUSTER_SCOPED.has(kind);

export function tempDir(prefix = 'mbx-store-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function server(name: string, labels: Record<string, string> = {}, extra: Record<string, unknown> = {}): Resource {
  return {
    apiVersion: 'metal.sidero.dev/v1alpha2',
    kind: 'Server',
    metadata: { name, labels },
    spec: { accepted: false, ...extra },
  };
}
