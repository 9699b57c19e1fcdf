/**
 * go-yaml's order for map keys (sorter.go, keyList.Less): letters compare as characters, runs of digits
 * compare as numbers, a letter sorts after a non-letter.
 */

const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;

function isLetter(ch: string): boolean {
  return LETTER.test(ch);
}

function isDigit(ch: string): boolean {
  return DIGIT.test(ch);
}

function digitValue(ch: string): number {
  return ch.charCodeAt(0) - 48;
}

/** True when a sorts before b. */
export function goKeyLess(a: string, b: string): boolean {
  if (a === b) return false;
  const ar = Array.from(a);
  const br = Array.from(b);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const x = ar[i]!;
    const y = br[i]!;
    if (x === y) continue;
    const al = isLetter(x);
    const bl = isLetter(y);
    if (al && bl) return x < y;
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (x === '0' || y === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = an * 10 + digitValue(ar[ai]!);
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = bn * 10 + digitValue(br[bi]!);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return x < y;
  }
  return ar.length < br.length;
}

export function goKeyCompare(a: string, b: string): number {
  if (goKeyLess(a, b)) return -1;
  if (goKeyLess(b, a)) return 1;
  return 0;
}

/** The keys of a plain object in go-yaml's map order. */
export function sortedKeys(obj: Record<string, unknown>): string[] {
  const keys = Object.keys(obj);
  // Fast path: most Talos maps are small and already ASCII-sorted.
  return keys.sort(goKeyCompare);
}
