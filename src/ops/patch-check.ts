/**
 * Edit-time checks of the Talos config patches an object carries (Server, ServerClass, TalosConfig,
 * TalosConfigTemplate): each set is applied, in order, to a sample config of the Talos version it will meet
 * (the TalosConfig's, else the newest) and the result checked against that version's schema, so a patch that
 * would leave a machine without a config at boot is said when it is written, not at the machine.
 * Warnings, not refusals: the machine's real config may differ from the sample.
 */
import type { Resource } from '../api/index.js';
import type { MachineType, PatchSet } from '../talos/index.js';

interface PatchSpec {
  configPatches?: unknown[];
  strategicPatches?: string[];
  talosVersion?: string;
  generateType?: string;
}

function specOf(r: Resource): PatchSpec | undefined {
  const spec = r.spec as (PatchSpec & { template?: { spec?: PatchSpec } }) | undefined;
  return r.kind === 'TalosConfigTemplate' ? spec?.template?.spec : spec;
}

const KINDS = new Set(['Server', 'ServerClass', 'TalosConfig', 'TalosConfigTemplate']);

/** One line per problem, naming the object, the patch and the path; [] when every patch applies cleanly. */
export async function patchWarnings(objects: readonly Resource[]): Promise<string[]> {
  const todo = objects.filter((o) => {
    const s = KINDS.has(o.kind) ? specOf(o) : undefined;
    return !!(s?.configPatches?.length || s?.strategicPatches?.length);
  });
  if (todo.length === 0) return [];
  const { checkPatches, contractString, parseContract, setPatches } = await import('../talos/index.js');
  const out: string[] = [];
  for (const o of todo) {
    const s = specOf(o)!;
    const source = `${o.kind}/${o.metadata.name}`;
    const patches = setPatches(source, s as PatchSet);
    const contract = parseContract(s.talosVersion || undefined);
    const type = (['init', 'controlplane', 'worker'].includes(s.generateType ?? '') ? s.generateType : 'controlplane') as MachineType;
    try {
      const r = checkPatches(patches, { versionContract: contract, machineType: type });
      for (const i of r.issues) out.push(`${source}: ${i.message} (checked on a Talos ${contractString(contract)} ${type} config)`);
    } catch (e) {
      out.push(`${source}: the patches could not be checked: ${(e as Error).message}`);
    }
  }
  return out;
}
