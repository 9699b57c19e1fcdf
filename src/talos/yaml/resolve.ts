/**
 * go-yaml's resolution of plain scalars (resolve.go of yaml.v3, which Talos's go.yaml.in/yaml/v4 keeps):
 * what a plain, unquoted scalar means. The encoder uses it to decide whether a string must be quoted,
 * the decoder to turn plain scalars into values the way Talos reads them.
 */

export type ResolvedTag = 'str' | 'int' | 'float' | 'bool' | 'null' | 'timestamp' | 'merge';

export interface Resolved {
  tag: ResolvedTag;
  value: string | number | boolean | null;
}

const MAP = new Map<string, Resolved>();
for (const s of ['true', 'True', 'TRUE']) MAP.set(s, { tag: 'bool', value: true });
for (const s of ['false', 'False', 'FALSE']) MAP.set(s, { tag: 'bool', value: false });
for (const s of ['', '~', 'null', 'Null', 'NULL']) MAP.set(s, { tag: 'null', value: null });
for (const s of ['.nan', '.NaN', '.NAN']) MAP.set(s, { tag: 'float', value: Number.NaN });
for (const s of ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']) MAP.set(s, { tag: 'float', value: Infinity });
for (const s of ['-.inf', '-.Inf', '-.INF']) MAP.set(s, { tag: 'float', value: -Infinity });
MAP.set('<<', { tag: 'merge', value: '<<' });

/** YAML 1.1 booleans that yaml.v2 resolves as bool and v3 quotes on output for compatibility. */
const OLD_BOOLS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);

export function isOldBool(s: string): boolean {
  return OLD_BOOLS.has(s);
}

export function oldBoolValue(s: string): boolean | undefined {
  if (!OLD_BOOLS.has(s)) return undefined;
  return /^(y|yes|on)$/i.test(s);
}

const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const TIMESTAMP =
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::?[0-9]{2})?))?)?$/;

export function isBase60Float(s: string): boolean {
  if (s === '') return false;
  const c = s[0]!;
  if (!(c === '+' || c === '-' || (c >= '0' && c <= '9')) || !s.includes(':')) return false;
  return BASE60_FLOAT.test(s);
}

/** Go's strconv.ParseInt(s, 0, 64) for the forms it accepts, or undefined. */
function parseGoInt(s: string): number | undefined {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const sign = m[1] === '-' ? -1 : 1;
  const body = m[2]!;
  let v: number;
  if (/^0[xX]/.test(body)) v = parseInt(body.slice(2), 16);
  else if (/^0[oO]/.test(body)) v = parseInt(body.slice(2), 8);
  else if (/^0[bB]/.test(body)) v = parseInt(body.slice(2), 2);
  else if (body.length > 1 && body.startsWith('0')) v = parseInt(body.slice(1), 8);
  else v = parseInt(body, 10);
  // Beyond uint64 Go falls through to the float rule; approximate with 2^64.
  if (v >= 2 ** 64) return undefined;
  return sign * v;
}

/** Resolves a plain scalar exactly as go-yaml v3 does (with no explicit tag). */
export function resolvePlain(s: string): Resolved {
  const hit = MAP.get(s);
  if (hit) return hit;
  const c = s[0];
  if (c === undefined) return { tag: 'str', value: s };
  if (c === '.') {
    if (/^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/.test(s)) return { tag: 'float', value: Number(s) };
    return { tag: 'str', value: s };
  }
  const digitOrSign = (c >= '0' && c <= '9') || c === '+' || c === '-';
  if (!digitOrSign) return { tag: 'str', value: s };
  if (TIMESTAMP.test(s)) return { tag: 'timestamp', value: s };
  const plain = s.replace(/_/g, '');
  const i = parseGoInt(plain);
  if (i !== undefined) return { tag: 'int', value: i };
  if (YAML_FLOAT.test(plain)) return { tag: 'float', value: Number(plain) };
  return { tag: 'str', value: s };
}

/**
 * Whether go-yaml's encoder may write the string unquoted: it must resolve back to a string and must not
 * look like a YAML 1.1 base-60 float or boolean.
 */
export function canUsePlain(s: string): boolean {
  return resolvePlain(s).tag === 'str' && !isBase60Float(s) && !isOldBool(s);
}
