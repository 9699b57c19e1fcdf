/**
 * Forgiving input: Sidero's older `metal.sidero.dev/v1alpha1` Server, ServerClass and Environment are
 * converted to v1alpha2 the way Sidero's own conversion webhook does, and the list-shaped ServerClass
 * `qualifiers` of Sidero's v1alpha2 sample is read as `qualifiers.hardware`. Both say so in a warning.
 */
import { list, obj, str, map } from './schema/dsl.js';
import { isPlainObject, issue, walk, type Report } from './schema/walk.js';

export const METAL_V1ALPHA1 = 'metal.sidero.dev/v1alpha1';
export const METAL_V1ALPHA2 = 'metal.sidero.dev/v1alpha2';

const systemV1alpha1 = obj({
  manufacturer: str(),
  productName: str(),
  version: str(),
  serialNumber: str(),
  skuNumber: str(),
  family: str(),
});
const cpuV1alpha1 = obj({ manufacturer: str(), version: str() });
const qualifiersV1alpha1 = obj({
  cpu: list(cpuV1alpha1),
  systemInformation: list(systemV1alpha1),
  labelSelectors: list(map(str())),
});

type Obj = Record<string, unknown>;

/** v1alpha1 CPUInformation as a v1alpha2 compute entry (Sidero maps `version` to `productName`). */
const computeOf = (cpu: Obj): Obj => ({ processors: [{ manufacturer: cpu['manufacturer'], productName: cpu['version'] }] });

/**
 * Bring `input` (a plain object with apiVersion and kind) to the current apiVersion of its kind. Returns
 * a converted copy; errors and warnings go to `r` with the paths the user wrote.
 */
export function upgrade(input: Obj, r: Report): Obj {
  if (!needsUpgrade(input)) return input;
  const out = structuredClone(input);
  const kind = out['kind'];
  if (out['apiVersion'] === METAL_V1ALPHA1 && (kind === 'Server' || kind === 'ServerClass' || kind === 'Environment')) {
    out['apiVersion'] = METAL_V1ALPHA2;
    r.warnings.push(issue(['apiVersion'], `converted from ${METAL_V1ALPHA1} to ${METAL_V1ALPHA2}`));
    const spec = out['spec'];
    if (isPlainObject(spec)) {
      if (kind === 'Server') upgradeServerSpec(spec, r);
      if (kind === 'ServerClass') upgradeQualifiers(spec, r);
    }
  } else if (out['apiVersion'] === METAL_V1ALPHA2 && kind === 'ServerClass') {
    const spec = out['spec'];
    if (isPlainObject(spec) && Array.isArray(spec['qualifiers'])) {
      spec['qualifiers'] = { hardware: spec['qualifiers'] };
      r.warnings.push(
        issue(
          ['spec', 'qualifiers'],
          'a list of hardware entries was read as qualifiers.hardware (Sidero\'s CRD expects "qualifiers: {hardware: [...]}")',
        ),
      );
    }
  }
  return out;
}

function needsUpgrade(o: Obj): boolean {
  if (o['apiVersion'] === METAL_V1ALPHA1) return true;
  const spec = o['spec'];
  return o['kind'] === 'ServerClass' && isPlainObject(spec) && Array.isArray(spec['qualifiers']);
}

function upgradeServerSpec(spec: Obj, r: Report): void {
  const system = spec['system'];
  const cpu = spec['cpu'];
  delete spec['system'];
  delete spec['cpu'];
  const sys = walk(systemV1alpha1, system, ['spec', 'system'], r) as Obj | undefined;
  const c = walk(cpuV1alpha1, cpu, ['spec', 'cpu'], r) as Obj | undefined;
  if (!sys && !c) return;
  const hw: Obj = isPlainObject(spec['hardware']) ? spec['hardware'] : {};
  if (sys && hw['system'] === undefined) hw['system'] = sys;
  if (c && hw['compute'] === undefined) hw['compute'] = computeOf(c);
  spec['hardware'] = hw;
}

function upgradeQualifiers(spec: Obj, r: Report): void {
  const q = spec['qualifiers'];
  if (!isPlainObject(q) || !('cpu' in q || 'systemInformation' in q)) return;
  const { hardware: already, ...old } = q;
  const v1 = walk(qualifiersV1alpha1, old, ['spec', 'qualifiers'], r) as Obj | undefined;
  if (!v1) return;
  const entries: unknown[] = Array.isArray(already) ? [...already] : [];
  for (const s of (v1['systemInformation'] as Obj[] | undefined) ?? []) entries.push({ system: s });
  for (const c of (v1['cpu'] as Obj[] | undefined) ?? []) entries.push({ compute: computeOf(c) });
  const next: Obj = {};
  if (entries.length) next['hardware'] = entries;
  if (v1['labelSelectors'] !== undefined) next['labelSelectors'] = v1['labelSelectors'];
  spec['qualifiers'] = next;
}
