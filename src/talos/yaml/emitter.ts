/**
 * A block-style YAML emitter that writes bytes the way go-yaml does: yaml.v3/v4 (what Talos encodes
 * configs with: 4-space indent, sequences indented under their key, the first level inside a sequence
 * item at +2) or yaml.v2 (what JSON-patched configs come out as: 2-space indent, sequences not indented
 * under their key, long plain scalars folded at column 80).
 */
import { canUsePlain } from './resolve.js';
import { analyzeScalar, doubleQuotedEscape, isBreak, selectStyle, type ScalarStyle } from './scalar.js';

/** A value to emit: mappings keep their entry order (the encoder sorts or orders them). */
export type YNode =
  | { kind: 'map'; entries: Array<[string, YNode]> }
  | { kind: 'seq'; items: YNode[] }
  | { kind: 'str'; value: string }
  | { kind: 'plain'; value: string };

export type YamlFlavor = 'v3' | 'v2';

type Parent = 'root' | 'mapValue' | 'seqItem';

class Emitter {
  private out: string[] = [];
  private column = 0;
  private whitespace = true;
  private indention = true;
  private readonly best: number;
  private readonly width: number;

  constructor(private readonly flavor: YamlFlavor) {
    this.best = flavor === 'v3' ? 4 : 2;
    this.width = flavor === 'v3' ? Number.POSITIVE_INFINITY : 80;
  }

  text(): string {
    return this.out.join('');
  }

  document(root: YNode): void {
    this.node(root, -1, 'root', false);
    this.writeIndent(0);
  }

  private increase(indent: number, parent: Parent, indentless: boolean): number {
    if (indent < 0) return 0;
    if (indentless) return indent;
    if (this.flavor === 'v2') return indent + this.best;
    if (parent === 'seqItem') return indent + 2;
    return this.best * Math.floor((indent + this.best) / this.best);
  }

  private node(n: YNode, indent: number, parent: Parent, simpleKey: boolean): void {
    switch (n.kind) {
      case 'map':
        if (n.entries.length === 0) return this.indicator('{}', true, false, false);
        return this.blockMap(n.entries, indent, parent);
      case 'seq':
        if (n.items.length === 0) return this.indicator('[]', true, false, false);
        return this.blockSeq(n.items, indent, parent);
      case 'plain':
        return this.plain(n.value, simpleKey);
      case 'str':
        return this.string(n.value, indent, parent, simpleKey);
    }
  }

  private blockMap(entries: Array<[string, YNode]>, indent: number, parent: Parent): void {
    const inner = this.increase(indent, parent, false);
    for (const [key, value] of entries) {
      this.writeIndent(inner);
      this.string(key, inner, 'mapValue', true);
      this.indicator(':', false, false, false);
      this.node(value, inner, 'mapValue', false);
    }
  }

  private blockSeq(items: YNode[], indent: number, parent: Parent): void {
    // yaml.v2 keeps a sequence under a mapping key at the key's indentation.
    const indentless = this.flavor === 'v2' && parent === 'mapValue' && !this.indention;
    const inner = this.increase(indent, parent, indentless);
    for (const item of items) {
      this.writeIndent(inner);
      this.indicator('-', true, false, true);
      this.node(item, inner, 'seqItem', false);
    }
  }

  private string(value: string, indent: number, parent: Parent, simpleKey: boolean): void {
    const requested: ScalarStyle = value.includes('\n') ? 'literal' : canUsePlain(value) ? 'plain' : 'double';
    const style = selectStyle(requested, value, analyzeScalar(value), simpleKey);
    const scalarIndent = this.increase(indent, parent, false);
    if (style === 'plain') this.plain(value, simpleKey, scalarIndent);
    else if (style === 'single') this.singleQuoted(value, simpleKey, scalarIndent);
    else if (style === 'double') this.doubleQuoted(value, simpleKey, scalarIndent);
    else this.literal(value, scalarIndent);
  }

  private put(s: string): void {
    this.out.push(s);
    this.column += s.length;
  }

  private putBreak(): void {
    this.out.push('\n');
    this.column = 0;
    this.indention = true;
  }

  private writeIndent(indent: number): void {
    const want = Math.max(indent, 0);
    if (!this.indention || this.column > want || (this.column === want && !this.whitespace)) this.putBreak();
    if (this.column < want) this.put(' '.repeat(want - this.column));
    this.whitespace = true;
  }

  private indicator(s: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    this.put(s);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  private plain(value: string, simpleKey: boolean, indent = 0): void {
    if (value.length > 0 && !this.whitespace) this.put(' ');
    const cps = Array.from(value);
    let spaces = false;
    for (let i = 0; i < cps.length; i++) {
      const ch = cps[i]!;
      if (ch === ' ') {
        if (!simpleKey && !spaces && this.column > this.width && cps[i + 1] !== ' ') this.writeIndent(indent);
        else this.put(ch);
        spaces = true;
      } else {
        this.put(ch);
        this.indention = false;
        spaces = false;
      }
    }
    if (value.length > 0) this.whitespace = false;
    this.indention = false;
  }

  private singleQuoted(value: string, simpleKey: boolean, indent: number): void {
    this.indicator("'", true, false, false);
    const cps = Array.from(value);
    let spaces = false;
    for (let i = 0; i < cps.length; i++) {
      const ch = cps[i]!;
      const fold = !simpleKey && !spaces && this.column > this.width && i > 0 && i < cps.length - 1 && cps[i + 1] !== ' ';
      if (ch === ' ') {
        if (fold) this.writeIndent(indent);
        else this.put(ch);
        spaces = true;
      } else {
        this.put(ch === "'" ? "''" : ch);
        this.indention = false;
        spaces = false;
      }
    }
    this.indicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private doubleQuoted(value: string, simpleKey: boolean, indent: number): void {
    this.indicator('"', true, false, false);
    const cps = Array.from(value);
    let spaces = false;
    for (let i = 0; i < cps.length; i++) {
      const ch = cps[i]!;
      const esc = doubleQuotedEscape(ch.codePointAt(0)!);
      if (esc !== undefined) {
        this.put(esc);
        spaces = false;
      } else if (ch === ' ') {
        if (!simpleKey && !spaces && this.column > this.width && i > 0 && i < cps.length - 1) {
          this.writeIndent(indent);
          if (cps[i + 1] === ' ') this.put('\\');
        } else {
          this.put(ch);
        }
        spaces = true;
      } else {
        this.put(ch);
        spaces = false;
      }
    }
    this.indicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private literal(value: string, indent: number): void {
    this.indicator('|', true, false, false);
    const cps = Array.from(value, (c) => c.codePointAt(0)!);
    if (cps[0] === 0x20 || isBreak(cps[0])) this.indicator(String(this.best), false, false, false);
    this.indicator(chompHint(cps), false, false, false);
    this.putBreak();
    this.whitespace = true;
    let breaks = true;
    for (const cp of cps) {
      if (isBreak(cp)) {
        if (cp === 0x0a) this.putBreak();
        else {
          this.out.push(String.fromCodePoint(cp));
          this.column = 0;
          this.indention = true;
        }
        breaks = true;
      } else {
        if (breaks) this.writeIndent(indent);
        this.put(String.fromCodePoint(cp));
        this.indention = false;
        breaks = false;
      }
    }
  }
}

function chompHint(cps: number[]): string {
  const n = cps.length;
  if (n === 0 || !isBreak(cps[n - 1])) return '-';
  if (n === 1 || isBreak(cps[n - 2])) return '+';
  return '';
}

/** Emits one document; the text ends with a newline, as go-yaml's Marshal does. */
export function emitYaml(root: YNode, flavor: YamlFlavor = 'v3'): string {
  const e = new Emitter(flavor);
  e.document(root);
  return e.text();
}
