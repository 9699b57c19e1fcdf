/** Errors of patch loading and application. */
import { MetalboxError } from '../../util/errors.js';

/**
 * A patch that does not load (TALOS_PATCH_INVALID) or does not apply (TALOS_PATCH_FAILED): which patch
 * (source, index) and where (a config path, or a JSON pointer for RFC 6902 operations).
 */
export class PatchError extends MetalboxError {
  constructor(
    readonly source: string,
    readonly index: number,
    readonly path: string,
    message: string,
    hint: string,
    code: 'TALOS_PATCH_FAILED' | 'TALOS_PATCH_INVALID' = 'TALOS_PATCH_FAILED',
  ) {
    super(code, message, { hint });
    this.name = 'PatchError';
  }
}
