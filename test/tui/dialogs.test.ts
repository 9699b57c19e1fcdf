import { describe, expect, it } from 'vitest';
import { Theme } from '../../src/tui/theme.js';
import type { KeyEvent } from '../../src/tui/vendor.js';
import { Dialogs } from '../../src/tui/widgets/dialogs.js';

const key = (name: string): KeyEvent => (name.length === 1 ? { name, ch: name } : { name });

async function typeInto(d: Dialogs, ...keys: string[]): Promise<void> {
  for (const k of keys) {
    if (k.length > 1 && !['tab', 'down', 'up', 'enter', 'backspace', 'left', 'C-u'].includes(k)) for (const ch of k) await d.key(key(ch));
    else await d.key(key(k));
  }
}

function newForm(d: Dialogs): { values: Promise<Record<string, string>> } {
  let got!: (v: Record<string, string>) => void;
  const values = new Promise<Record<string, string>>((r) => (got = r));
  void d.form(
    'new cluster',
    [
      { name: 'name', label: 'name' },
      { name: 'cp', label: 'control planes', initial: '1' },
      { name: 'class', label: 'from class', initial: 'any', complete: (t) => ['any', 'workers'].filter((c) => c.startsWith(t)) },
    ],
    async (v) => {
      got(v);
      return undefined;
    },
  );
  return { values };
}

describe('forms', () => {
  it('replaces a default when the operator types over it, as any form does', async () => {
    const d = new Dialogs(() => undefined);
    const f = newForm(d);
    await typeInto(d, 'prod', 'tab', '3', 'tab', 'wo', 'tab', 'enter');
    expect(await f.values).toEqual({ name: 'prod', cp: '3', class: 'workers' });
  });

  it('keeps a default the operator moves past, and edits it in place after a cursor key', async () => {
    const d = new Dialogs(() => undefined);
    const f = newForm(d);
    await typeInto(d, 'lab', 'tab', 'tab', 'left', 'backspace', 'enter');
    expect(await f.values).toEqual({ name: 'lab', cp: '1', class: 'ay' });
  });

  it('keeps what the operator typed in a field when coming back to it', async () => {
    const d = new Dialogs(() => undefined);
    const f = newForm(d);
    await typeInto(d, 'edge', 'tab', '5', 'up', 'up', 'tab', '7', 'enter');
    // `up` twice goes round to the class field; tab comes back to the name, which keeps `edge`.
    expect(await f.values).toEqual({ name: 'edge7', cp: '5', class: 'any' });
  });

  it('shows the selected default inverted, and the key hints fit an 80-column terminal', () => {
    const d = new Dialogs(() => undefined);
    newForm(d);
    const theme = new Theme(256, 'xterm-256color');
    expect(d.top(theme, 76)!.lines.join('\n')).not.toContain('{inverse}1{/inverse}');
    void d.key(key('tab'));
    const after = d.top(theme, 76)!;
    expect(after.lines.join('\n')).toContain('{inverse}1{/inverse}');
    const plain = (l: string) => l.replace(/\{[^{}]*\}/g, '');
    for (const l of after.lines) expect(plain(l).length).toBeLessThanOrEqual(after.width - 2);
  });
});
