/** Talos reference data shared beside the repository (golden files and schemas); CI has it. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { parseSecretsBundle, type SecretsBundle } from '../../src/talos/index.js';

export const SHARED = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../shared/talos');
export const GOLDEN = `${SHARED}/golden`;
export const SCHEMAS = `${SHARED}/schemas`;

export const GOLDEN_VERSIONS = ['v1.7', 'v1.8', 'v1.9', 'v1.10', 'v1.11', 'v1.12', 'v1.13'] as const;

export function golden(path: string): string {
  return readFileSync(`${GOLDEN}/${path}`, 'utf8');
}

/** The golden bundle (test data from Talos's repository; never for a real cluster). */
export function goldenSecrets(): SecretsBundle {
  return parseSecretsBundle(golden('secrets.yaml'));
}

/** Inputs the golden `overrides-*` files were made with (see the golden README). */
export const OVERRIDES = {
  additionalSANs: ['foo', 'bar'],
  allowSchedulingOnControlPlanes: true,
  dnsDomain: 'example.com',
  installDisk: '/dev/vda',
  installExtraKernelArgs: ['foo=bar', 'bar=baz'],
  localAPIServerPort: 5443,
  sysctls: { foo: 'bar' },
  cni: { name: 'custom', urls: ['https://example.com/cni.yaml'] },
  registryMirrors: { 'ghcr.io': ['https://ghcr.io.my-mirror.com'] },
};

export const BASE = { clusterName: 'base', endpoint: 'https://base:6443', kubernetesVersion: '1.28.0' };
