import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { applyPatches, encodeConfig, generateMachineConfig, parseConfig } from '../../src/talos/index.js';
import { missing, skipNote } from '../support/needs.js';
import { BASE, GOLDEN, GOLDEN_VERSIONS, OVERRIDES, golden, goldenSecrets } from './shared.js';

const why = missing(`file:${GOLDEN}/secrets.yaml`);

function parsed(text: string): unknown[] {
  return parseAllDocuments(text).map((d) => d.toJS());
}

const cases = GOLDEN_VERSIONS.flatMap((v) =>
  (['controlplane', 'worker'] as const).flatMap((type) => (['base', 'overrides'] as const).map((set) => ({ v, type, set }))),
);

function render(v: string, type: 'controlplane' | 'worker', set: 'base' | 'overrides'): string {
  const secrets = goldenSecrets();
  if (set === 'base') return generateMachineConfig({ type, versionContract: v, secrets, ...BASE });
  const cfg = generateMachineConfig({ type, versionContract: v, secrets, ...BASE, ...OVERRIDES });
  return applyPatches(cfg, [{ source: 'golden', index: 0, kind: 'strategic', patch: golden('patch-pre14.yaml') }]);
}

describe.skipIf(why)(`configs equal to Talos's generator${skipNote(why)}`, () => {
  let identical = 0;

  it.each(cases)('$v $set-$type parses to the same documents as the golden file', ({ v, type, set }) => {
    const want = golden(`${v}/${set}-${type}.yaml`);
    const got = render(v, type, set);
    expect(parsed(got)).toEqual(parsed(want));
    if (got === want) identical++;
  });

  it('writes every golden file byte for byte', () => {
    const differing = cases.filter(({ v, type, set }) => render(v, type, set) !== golden(`${v}/${set}-${type}.yaml`));
    console.log(`[talos] ${cases.length - differing.length}/${cases.length} golden files byte-identical`);
    expect(differing).toEqual([]);
    expect(identical).toBe(cases.length);
  });

  it.each(cases)('$v $set-$type decodes strictly and encodes back unchanged', ({ v, type, set }) => {
    const text = golden(`${v}/${set}-${type}.yaml`);
    expect(encodeConfig(parseConfig(text))).toBe(text);
  });
});
