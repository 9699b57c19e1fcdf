/**
 * Where a JSON text first goes wrong, as line and column (1-based), for messages like
 * `state.json:12:7: expected ',' or '}'`. JSON.parse on Node 20 gives a position only for some errors,
 * so this scans the text itself.
 */
export interface JsonErrorLocation {
  offset: number;
  line: number;
  column: number;
  message: string;
}

export function locateJsonError(text: string): JsonErrorLocation | undefined {
  const s = new Scanner(text);
  try {
    s.ws();
    s.value();
    s.ws();
    if (s.i < text.length) s.fail('unexpected text after the end of the JSON value');
    return undefined;
  } catch (e) {
    if (!(e instanceof ScanError)) throw e;
    return { ...lineCol(text, e.offset), offset: e.offset, message: e.message };
  }
}

export function lineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

class ScanError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

class Scanner {
  i = 0;
  constructor(private readonly t: string) {}

  fail(msg: string): never {
    throw new ScanError(this.i >= this.t.length ? 'unexpected end of file (is the file truncated?)' : msg, this.i);
  }

  ws(): void {
    while (this.i < this.t.length && ' \t\r\n'.includes(this.t[this.i]!)) this.i++;
  }

  value(): void {
    const c = this.t[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c !== undefined && /[-0-9]/.test(c)) return this.number();
    for (const word of ['true', 'false', 'null']) {
      if (this.t.startsWith(word, this.i)) {
        this.i += word.length;
        return;
      }
    }
    this.fail(`unexpected ${c === undefined ? 'end' : `character ${JSON.stringify(c)}`}; expected a JSON value`);
  }

  object(): void {
    this.i++;
    this.ws();
    if (this.t[this.i] === '}') return void this.i++;
    for (;;) {
      this.ws();
      if (this.t[this.i] !== '"') this.fail('expected a double-quoted property name');
      this.string();
      this.ws();
      if (this.t[this.i] !== ':') this.fail("expected ':' after the property name");
      this.i++;
      this.ws();
      this.value();
      this.ws();
      if (this.t[this.i] === ',') {
        this.i++;
        continue;
      }
      if (this.t[this.i] === '}') return void this.i++;
      this.fail("expected ',' or '}'");
    }
  }

  array(): void {
    this.i++;
    this.ws();
    if (this.t[this.i] === ']') return void this.i++;
    for (;;) {
      this.ws();
      this.value();
      this.ws();
      if (this.t[this.i] === ',') {
        this.i++;
        continue;
      }
      if (this.t[this.i] === ']') return void this.i++;
      this.fail("expected ',' or ']'");
    }
  }

  string(): void {
    this.i++;
    while (this.i < this.t.length) {
      const c = this.t[this.i]!;
      if (c === '"') return void this.i++;
      if (c === '\\') this.i++;
      else if (c.charCodeAt(0) < 0x20) this.fail('control character inside a string');
      this.i++;
    }
    this.fail('unterminated string');
  }

  number(): void {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.t.slice(this.i, this.i + 64));
    if (!m) this.fail('malformed number');
    this.i += m[0].length;
  }
}
