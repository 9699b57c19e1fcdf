import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { durationString, formatDuration, parseDuration } from '../../src/talos/model/duration.js';
import { encodeAny } from '../../src/talos/model/encode.js';
import { formatGoFloat } from '../../src/talos/model/numbers.js';
import { emitYaml } from '../../src/talos/yaml/emitter.js';
import { goKeyCompare } from '../../src/talos/yaml/keysort.js';
import { parseYamlDocuments } from '../../src/talos/yaml/parse.js';
import { resolvePlain } from '../../src/talos/yaml/resolve.js';

const one = (value: string): string => emitYaml({ kind: 'map', entries: [['k', { kind: 'str', value }]] });

describe('go-yaml string styles', () => {
  it.each([
    ['plain', 'k: plain\n'],
    ['', 'k: ""\n'],
    ['true', 'k: "true"\n'],
    ['123', 'k: "123"\n'],
    ['0x1F', 'k: "0x1F"\n'],
    ['1.5', 'k: "1.5"\n'],
    ['1.2.3', 'k: 1.2.3\n'],
    ['yes', 'k: "yes"\n'],
    ['~', 'k: "~"\n'],
    ['<<', 'k: "<<"\n'],
    ['2001-12-14', 'k: "2001-12-14"\n'],
    ['10.96.0.0/12', 'k: 10.96.0.0/12\n'],
    ['foo: bar', "k: 'foo: bar'\n"],
    ['- x', "k: '- x'\n"],
    ['#x', "k: '#x'\n"],
    ['a #b', "k: 'a #b'\n"],
    [' lead', "k: ' lead'\n"],
    ["it's: x", "k: 'it''s: x'\n"],
    ['a\tb', 'k: "a\\tb"\n'],
    ['é', 'k: é\n'],
    ['😀', 'k: "\\U0001F600"\n'],
    ['line1\nline2', 'k: |-\n    line1\n    line2\n'],
    ['line1\n', 'k: |\n    line1\n'],
    ['x\n\n', 'k: |+\n    x\n\n'],
    [' indented\n', 'k: |4\n     indented\n'],
    ['a\n\nb', 'k: |-\n    a\n\n    b\n'],
  ])('%j', (value, want) => {
    expect(one(value)).toBe(want);
    expect(parseDocument(want).toJS().k).toBe(value);
  });
});

describe('go-yaml layout', () => {
  const tree = encodeAny({ z: [{ b: 1, a: [1, 2], c: { d: 'e' } }, [3]], a: {}, m: [] });

  it('indents 4, sequences under their key, the first level inside a list item at +2', () => {
    expect(emitYaml(tree)).toBe('a: {}\nm: []\nz:\n    - a:\n        - 1\n        - 2\n      b: 1\n      c:\n        d: e\n    - - 3\n');
  });

  it('writes the yaml.v2 layout for JSON-patched configs', () => {
    expect(emitYaml(tree, 'v2')).toBe('a: {}\nm: []\nz:\n- a:\n  - 1\n  - 2\n  b: 1\n  c:\n    d: e\n- - 3\n');
  });

  it('folds long plain scalars at column 80 in the yaml.v2 layout only', () => {
    const long = Array.from({ length: 20 }, (_, i) => `word${i}`).join(' ');
    expect(emitYaml(encodeAny({ k: long }))).toBe(`k: ${long}\n`);
    const v2 = emitYaml(encodeAny({ k: long }), 'v2');
    expect(v2.split('\n').length).toBeGreaterThan(2);
    expect(parseDocument(v2).toJS().k).toBe(long);
  });

  it('sorts map keys like go-yaml: digit runs as numbers, non-letters before letters', () => {
    expect(['b', 'a10', 'a2', 'a1', 'A', '_x', 'a1b'].sort(goKeyCompare)).toEqual(['_x', 'A', 'a1', 'a1b', 'a2', 'a10', 'b']);
  });
});

describe('scalars as go-yaml reads and writes them', () => {
  it('resolves plain scalars with YAML 1.2 core rules plus Go integer forms', () => {
    expect(resolvePlain('0o17')).toEqual({ tag: 'int', value: 15 });
    expect(resolvePlain('017')).toEqual({ tag: 'int', value: 15 });
    expect(resolvePlain('1_000')).toEqual({ tag: 'int', value: 1000 });
    expect(resolvePlain('-0x10')).toEqual({ tag: 'int', value: -16 });
    expect(resolvePlain('08')).toEqual({ tag: 'float', value: 8 });
    expect(resolvePlain('yes')).toEqual({ tag: 'str', value: 'yes' });
    expect(resolvePlain('.inf').tag).toBe('float');
    expect(parseYamlDocuments('a: 0x10\nb: "0x10"\nc: 2001-12-14\nd: null\n', 't')[0]!.value).toEqual({ a: 16, b: '0x10', c: '2001-12-14', d: null });
  });

  it("formats floats like Go's strconv 'g' with shortest precision", () => {
    expect(formatGoFloat(1.5)).toBe('1.5');
    expect(formatGoFloat(0.0001)).toBe('0.0001');
    expect(formatGoFloat(1e-7)).toBe('1e-07');
    expect(formatGoFloat(123456789.5)).toBe('1.234567895e+08');
    expect(formatGoFloat(-2.5e21)).toBe('-2.5e+21');
  });

  it("writes durations as Go's Duration.String()", () => {
    expect(formatDuration('90m')).toBe('1h30m0s');
    expect(formatDuration('2h')).toBe('2h0m0s');
    expect(formatDuration('1.5s')).toBe('1.5s');
    expect(formatDuration('1500us')).toBe('1.5ms');
    expect(formatDuration('0')).toBe('0s');
    expect(formatDuration('-30s')).toBe('-30s');
    expect(durationString(1n)).toBe('1ns');
    expect(parseDuration('5 minutes')).toBeUndefined();
  });

  it('refuses alias bombs and reports syntax errors with line and column', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((c, i) => `${c}: &${c} [${Array(10).fill(`*${'abcdefg'[i]}`).join(', ')}]`)].join('\n');
    expect(() => parseYamlDocuments(bomb, 'bomb')).toThrow(/too many values/);
    expect(() => parseYamlDocuments('a:\n  b: [1\n', 'bad')).toThrow(/bad: invalid YAML at line \d+, column \d+/);
  });
});
