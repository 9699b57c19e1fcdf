/**
 * Scalar analysis and style selection of libyaml's emitter as ported in go-yaml (emitterc.go):
 * which of plain, single-quoted, double-quoted and literal block styles a string may use.
 */

export interface ScalarAnalysis {
  multiline: boolean;
  flowPlainAllowed: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

/** libyaml's is_printable for one code point. */
export function isPrintable(cp: number): boolean {
  return (
    cp === 0x0a ||
    (cp >= 0x20 && cp <= 0x7e) ||
    (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff)
  );
}

export function isBreak(cp: number | undefined): boolean {
  return cp === 0x0d || cp === 0x0a || cp === 0x85 || cp === 0x2028 || cp === 0x2029;
}

function isBlank(cp: number | undefined): boolean {
  return cp === 0x20 || cp === 0x09;
}

function isBlankZ(cp: number | undefined): boolean {
  return cp === undefined || cp === 0 || isBlank(cp) || isBreak(cp);
}

const FIRST_INDICATORS = new Set('#,[]{}&*!|>\'"%@`');
const INNER_FLOW_INDICATORS = new Set(',?[]{}');

interface Scan {
  block: boolean;
  flow: boolean;
  lineBreaks: boolean;
  special: boolean;
  tabs: boolean;
  leadingSpace: boolean;
  leadingBreak: boolean;
  trailingSpace: boolean;
  trailingBreak: boolean;
  breakSpace: boolean;
  spaceBreak: boolean;
}

/** Indicator characters that forbid the plain style in flow or block context. */
function scanIndicator(scan: Scan, ch: string, first: boolean, followedByWs: boolean, precededByWs: boolean): void {
  if (first) {
    if (FIRST_INDICATORS.has(ch)) {
      scan.flow = true;
      scan.block = true;
    } else if (ch === '?' || ch === ':') {
      scan.flow = true;
      if (followedByWs) scan.block = true;
    } else if (ch === '-' && followedByWs) {
      scan.flow = true;
      scan.block = true;
    }
  } else if (INNER_FLOW_INDICATORS.has(ch)) {
    scan.flow = true;
  } else if (ch === ':') {
    scan.flow = true;
    if (followedByWs) scan.block = true;
  } else if (ch === '#' && precededByWs) {
    scan.flow = true;
    scan.block = true;
  }
}

function scanScalar(cps: number[]): Scan {
  const scan: Scan = {
    block: false, flow: false, lineBreaks: false, special: false, tabs: false, leadingSpace: false,
    leadingBreak: false, trailingSpace: false, trailingBreak: false, breakSpace: false, spaceBreak: false,
  };
  let prevSpace = false;
  let prevBreak = false;
  let precededByWs = true;
  const last = cps.length - 1;
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i]!;
    scanIndicator(scan, String.fromCodePoint(c), i === 0, i === last || isBlank(cps[i + 1]), precededByWs);
    if (c === 0x09) scan.tabs = true;
    else if (!isPrintable(c)) scan.special = true;
    if (c === 0x20) {
      scan.leadingSpace ||= i === 0;
      scan.trailingSpace ||= i === last;
      scan.breakSpace ||= prevBreak;
    } else if (isBreak(c)) {
      scan.lineBreaks = true;
      scan.leadingBreak ||= i === 0;
      scan.trailingBreak ||= i === last;
      scan.spaceBreak ||= prevSpace;
    }
    prevSpace = c === 0x20;
    prevBreak = isBreak(c);
    precededByWs = isBlankZ(c);
  }
  return scan;
}

/** yaml_emitter_analyze_scalar. */
export function analyzeScalar(value: string): ScalarAnalysis {
  if (value.length === 0) {
    return { multiline: false, flowPlainAllowed: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  }
  const s = scanScalar(Array.from(value, (ch) => ch.codePointAt(0)!));
  if (value.startsWith('---') || value.startsWith('...')) {
    s.block = true;
    s.flow = true;
  }
  const edges = s.leadingSpace || s.leadingBreak || s.trailingSpace || s.trailingBreak;
  const noQuotes = s.breakSpace || s.spaceBreak || s.tabs || s.special;
  const noPlain = edges || noQuotes || s.lineBreaks;
  return {
    multiline: s.lineBreaks,
    flowPlainAllowed: !noPlain && !s.flow,
    blockPlainAllowed: !noPlain && !s.block,
    singleQuotedAllowed: !noQuotes,
    blockAllowed: !s.trailingSpace && !s.spaceBreak && !s.special,
  };
}

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal';

/**
 * The style the emitter ends up with, given the style the encoder asked for (block context only:
 * Talos never emits flow collections except empty ones).
 */
export function selectStyle(requested: ScalarStyle, value: string, a: ScalarAnalysis, simpleKey: boolean): ScalarStyle {
  let style = requested;
  if (simpleKey && a.multiline) style = 'double';
  if (style === 'plain') {
    if (!a.blockPlainAllowed) style = 'single';
    if (value.length === 0 && simpleKey) style = 'single';
  }
  if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
  if (style === 'literal' && (!a.blockAllowed || simpleKey)) style = 'double';
  return style;
}

const SHORT_ESCAPES: Record<number, string> = {
  0x00: '0',
  0x07: 'a',
  0x08: 'b',
  0x09: 't',
  0x0a: 'n',
  0x0b: 'v',
  0x0c: 'f',
  0x0d: 'r',
  0x1b: 'e',
  0x22: '"',
  0x5c: '\\',
  0x85: 'N',
  0xa0: '_',
  0x2028: 'L',
  0x2029: 'P',
};

/** The escape go-yaml writes inside a double-quoted scalar for one code point, or undefined to copy it. */
export function doubleQuotedEscape(cp: number): string | undefined {
  if (isPrintable(cp) && cp !== 0xfeff && !isBreak(cp) && cp !== 0x22 && cp !== 0x5c) return undefined;
  const short = SHORT_ESCAPES[cp];
  if (short !== undefined) return `\\${short}`;
  const hex = cp.toString(16).toUpperCase();
  if (cp <= 0xff) return `\\x${hex.padStart(2, '0')}`;
  if (cp <= 0xffff) return `\\u${hex.padStart(4, '0')}`;
  return `\\U${hex.padStart(8, '0')}`;
}
