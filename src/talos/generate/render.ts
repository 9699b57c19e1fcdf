/**
 * generateMachineConfig: the machine configuration Talos's own generator writes (CommentsDisabled form),
 * for contracts 1.7 to 1.13.
 */
import { LEGACY_KIND, encodeConfig, type ConfigDocument } from '../documents.js';
import { V1ALPHA1_ROOT } from '../model/types.js';
import { extraDocuments } from './documents.js';
import { normalizeInput, type GenerateInput } from './input.js';
import { v1alpha1Document } from './v1alpha1.js';

/** The documents of a generated machine configuration, v1alpha1 first. */
export function generateMachineDocuments(input: GenerateInput): ConfigDocument[] {
  const inp = normalizeInput(input);
  const legacy: ConfigDocument = {
    kind: LEGACY_KIND,
    apiVersion: '',
    name: undefined,
    struct: V1ALPHA1_ROOT,
    value: v1alpha1Document(inp),
  };
  return [legacy, ...extraDocuments(inp)];
}

/** The YAML text of a generated machine configuration, byte-identical to Talos's generator. */
export function generateMachineConfig(input: GenerateInput): string {
  return encodeConfig(generateMachineDocuments(input));
}
