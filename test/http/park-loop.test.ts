/**
 * A parked machine's park loop, as iPXE runs it: the park script's own `/ipxe?...` URL asked again and
 * again. What the HTTP service remembers between rounds (facts, the script) saves work only: the answers
 * follow every change to the store.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Server } from '../../src/api/index.js';
import { fetchRaw, startRig, type Rig } from './helpers.js';

const UUID = '6f0e1d2c-3b4a-4958-8776-a5b4c3d2e1f0';
const FIRST = `uuid=${UUID}&mac=52-54-00-66-00-01&nic=net0&arch=i386&platform=pcbios&manufacturer=Metalbox%20Labs&serial=SN-7&cpu-cores=04`;

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** The URL the park script chains to next. */
function reAsk(script: string): string {
  const m = /^chain --replace (http:\/\/\S+\/ipxe\?\S+) \|\|/m.exec(script);
  if (!m) throw new Error(`no re-ask in:\n${script}`);
  return m[1]!;
}

describe('the park loop', () => {
  it('re-asks with its own query: the same answer and no store write, until something changes', async () => {
    rig = await startRig();
    const first = await fetchRaw(`${rig.base}/ipxe?${FIRST}`);
    expect(first.text).toContain('is parked: not accepted yet');
    const url = reAsk(first.text);
    const rv = rig.store.get<Server>('Server', UUID)!.metadata.resourceVersion;
    const rounds = [];
    for (let i = 0; i < 3; i++) rounds.push((await fetchRaw(url)).text);
    expect(new Set(rounds)).toEqual(new Set([first.text]));
    expect(rig.store.get<Server>('Server', UUID)!.metadata.resourceVersion).toBe(rv);

    await rig.store.mutate<Server>('Server', UUID, undefined, (s) => {
      s.spec!.accepted = true;
      s.spec!.hardware!.system!.serialNumber = 'edited';
      return s;
    });
    const after = await fetchRaw(url);
    expect(after.text).toContain('is parked: accepted and waiting to be allocated');
    // The machine's report wins over an edit of what it reports, on the next ask.
    expect(rig.store.get<Server>('Server', UUID)!.spec!.hardware!.system!.serialNumber).toBe('SN-7');

    await rig.store.mutate<Server>('Server', UUID, undefined, (s) => {
      s.spec!.cordoned = true;
      return s;
    });
    expect((await fetchRaw(url)).text).toContain('is parked: cordoned');
  });

  it('a malformed query is refused every time, not remembered', async () => {
    rig = await startRig();
    for (let i = 0; i < 2; i++) expect((await fetchRaw(`${rig.base}/ipxe?uuid=${UUID}&mac=nope`)).status).toBe(400);
    expect(rig.store.list('Server')).toHaveLength(0);
  });
});
