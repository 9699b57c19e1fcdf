import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { validateResource, type FieldProblem, type Resource } from '../../src/api/index.js';

/** The validated object; fails the test with the errors when invalid. */
export function valid<R extends Resource = Resource>(input: unknown): R {
  const r = validateResource(input);
  if (!r.ok) throw new Error(`expected valid, got:\n${r.errors.map((e) => `${e.path}: ${e.message}`).join('\n')}`);
  return r.object as R;
}

/** `path: message` lines of a refused object; fails the test when it is valid. */
export function refused(input: unknown): string[] {
  const r = validateResource(input);
  if (r.ok) throw new Error(`expected errors, got a valid ${JSON.stringify(r.object)}`);
  return r.errors.map((e: FieldProblem) => `${e.path}: ${e.message}`);
}

export function warnings(input: unknown): string[] {
  return validateResource(input).warnings.map((w) => `${w.path}: ${w.message}`);
}

export const fixture = (name: string): string =>
  readFileSync(fileURLToPath(new URL(`../fixtures/sidero/${name}`, import.meta.url)), 'utf8');

/** The variables `clusterctl generate cluster` fills into Sidero's cluster template. */
export const TEMPLATE_VARS: Record<string, string> = {
  CLUSTER_NAME: 'rack1',
  CONTROL_PLANE_ENDPOINT: '10.5.0.2',
  CONTROL_PLANE_PORT: '6443',
  CONTROL_PLANE_SERVERCLASS: 'control-planes',
  WORKER_SERVERCLASS: 'workers',
  KUBERNETES_VERSION: 'v1.33.0',
  CONTROL_PLANE_MACHINE_COUNT: '3',
  WORKER_MACHINE_COUNT: '5',
  TALOS_VERSION: 'v1.13',
};

export function fillTemplate(text: string, vars: Record<string, string> = TEMPLATE_VARS): string {
  return text.replace(/\$\{(\w+)\}/g, (_, k: string) => {
    const v = vars[k];
    if (v === undefined) throw new Error(`no value for \${${k}}`);
    return v;
  });
}
