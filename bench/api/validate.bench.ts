/**
 * Validation speed: Metalbox's schema walker (validateResource: strict fields, formats, defaults, CAPI-style
 * defaulting, annotation checks) against ajv (the usual JSON Schema validator) compiled from the same schema
 * with useDefaults and allErrors, on Sidero's full-hardware sample Server. ajv skips the string formats (see
 * src/api/schema/jsonschema.ts), so it does less work than the walker; the ratio is conservative.
 * Also: a 1,000-Server manifest stream parsed and validated, and the same exported back.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { exportYaml, kindJsonSchema, parseManifests, resourcesToYaml, validateResource, type Resource } from '../../src/api/index.js';

const sample = parse(readFileSync(fileURLToPath(new URL('../../test/fixtures/sidero/metal_v1alpha2_server.yaml', import.meta.url)), 'utf8')) as Record<string, unknown>;

function opsPerSecond(fn: () => void, ms: number): number {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let i = 0; i < 200; i++) fn();
    n += 200;
  }
  return n / ((performance.now() - start) / 1000);
}

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
const check = ajv.compile(kindJsonSchema('Server')!);
if (!check(structuredClone(sample))) throw new Error(`ajv refuses the sample: ${ajv.errorsText(check.errors)}`);
if (!validateResource(sample).ok) throw new Error('validateResource refuses the sample');

const runWalker = () => validateResource(sample);
// ajv mutates its input when filling defaults, so it validates a fresh copy each time, as validateResource makes one.
const runAjv = () => check(structuredClone(sample));
for (let i = 0; i < 5000; i++) (runWalker(), runAjv());
// Alternate short rounds so that load from other processes hits both alike; report medians.
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const w: number[] = [];
const a: number[] = [];
for (let round = 0; round < 9; round++) {
  w.push(opsPerSecond(runWalker, 300));
  a.push(opsPerSecond(runAjv, 300));
}
const walker = median(w);
const ajvRate = median(a);

// Block-style YAML, as `metalbox export` and `kubectl get -o yaml` write it.
const stream = resourcesToYaml(Array.from({ length: 1000 }, (_, i) => ({ ...(sample as unknown as Resource), metadata: { name: `server-${i}` } })));
let t = performance.now();
const parsed = parseManifests(stream);
const parseMs = performance.now() - t;
if (!parsed.ok) throw new Error('stream refused');
t = performance.now();
exportYaml(parsed.resources.map((r) => r.object), { showSecrets: true });
const exportMs = performance.now() - t;

console.log(`validate one full-hardware Server: walker ${Math.round(walker)}/s (${(1e6 / walker).toFixed(1)} µs), ajv ${Math.round(ajvRate)}/s (${(1e6 / ajvRate).toFixed(1)} µs), ratio walker/ajv ${(walker / ajvRate).toFixed(2)}`);
console.log(`1,000-Server stream (${(stream.length / 1e6).toFixed(1)} MB): parse + validate ${parseMs.toFixed(0)} ms, export ${exportMs.toFixed(0)} ms`);
