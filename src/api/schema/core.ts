/** Schema of core v1 Secret. */
import { bool, dflt, map, obj, str } from './dsl.js';
import { base64 } from './common.js';

const secretKey = { test: (k: string) => k.length <= 253 && /^[-._a-zA-Z0-9]+$/.test(k), expect: 'letters, digits, "-", "_" or "."' };

export const secretSchema = obj({
  data: map(str({ format: base64 }), { keys: secretKey }),
  stringData: map(str(), { keys: secretKey }),
  type: dflt(str(), 'Opaque'),
  immutable: bool(),
});
