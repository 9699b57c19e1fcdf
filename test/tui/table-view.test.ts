import { afterEach, describe, expect, it } from 'vitest';
import type { Column } from '../../src/tui/model/table.js';
import { layoutColumns } from '../../src/tui/widgets/table-view.js';
import { server, startConsole, type Harness } from './harness.js';

const COLS: Column[] = [
  { title: 'NAME', min: 6, max: 12 },
  { title: 'STATE', min: 5 },
  { title: 'ACTIVITY', min: 8, max: 20, flex: true, drop: 3 },
  { title: 'AGE', align: 'right', drop: 1 },
];
const widths = (available: number, natural: number[]) => layoutColumns(COLS, natural, available).map((s) => `${COLS[s.col]!.title}=${s.width}`);

describe('column layout', () => {
  it('gives the width left over to the flex column, past its max, up to what its text needs', () => {
    // NAME 12 + STATE 5 + ACTIVITY 20 + AGE 3 + 3 gaps of 2 = 46 at the max widths.
    expect(widths(46, [30, 5, 60, 3])).toEqual(['NAME=12', 'STATE=5', 'ACTIVITY=20', 'AGE=3']);
    expect(widths(70, [30, 5, 60, 3])).toEqual(['NAME=12', 'STATE=5', 'ACTIVITY=44', 'AGE=3']);
    expect(widths(200, [30, 5, 60, 3])).toEqual(['NAME=12', 'STATE=5', 'ACTIVITY=60', 'AGE=3']);
  });

  it('squeezes and drops as before when there is no room', () => {
    // AGE (drop 1) goes before anything is cut short; then the widest is squeezed, never below its min.
    expect(widths(39, [30, 5, 60, 3])).toEqual(['NAME=12', 'STATE=5', 'ACTIVITY=18']);
    expect(widths(23, [30, 5, 60, 3])).toEqual(['NAME=6', 'STATE=5', 'ACTIVITY=8']);
    expect(widths(19, [30, 5, 60, 3])).toEqual(['NAME=12', 'STATE=5']);
  });
});

describe('servers list on a wide terminal', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('shows a long activity in full when the terminal has room for it', async () => {
    const name = '4c4c4544-0042-3510-8050-b4c04f00f1e5';
    h = await startConsole({ cols: 160, seed: async (app) => void (await app.store.create(server(name, {}))) });
    const detail = 'waiting to be allocated to a cluster'; // past ACTIVITY's max of 30
    h.app.events.emit({ type: 'boot.ipxe', server: name, decision: 'park', detail });
    await h.waitFor((t) => t.includes(`parked ${detail}`));
    await h.resize(100, 30);
    expect(h.line(name.slice(0, 12))).toMatch(/parked waiting to.*…/);
    expect(h.text()).not.toContain(`parked ${detail}`);
  });
});
