import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, openStore } from '../../src/store/index.js';
import { isNamespaced, server, tempDir } from './helpers.js';

let t: ReturnType<typeof tempDir>;
beforeEach(() => (t = tempDir()));
afterEach(() => t.cleanup());

const statePath = () => join(t.dir, 'state.json');

describe('bad state on disk', () => {
  const cases: [string, string, RegExp][] = [
    ['truncated', '{"schemaVersion":1,"resourceVersion":3,"objects":[\n{"apiVersion":"v1","kind":"Secret","metadata":{"na', /line 2, column \d+: unexpected end of file/],
    ['not JSON', 'schemaVersion: 1\n', /not valid JSON at line 1, column 1/],
    ['wrong shape', '{"schemaVersion":1,"resourceVersion":0,"objects":[{"kind":"Server"}]}', /objects\[0\] is not a resource/],
    ['empty', '', /empty/],
    ['too new', '{"schemaVersion":99,"resourceVersion":0,"objects":[]}', /schema 99, newer/],
  ];
  for (const [name, text, message] of cases) {
    it(`refuses a ${name} file, says what is wrong, and leaves it byte-for-byte unchanged`, async () => {
      writeFileSync(statePath(), text);
      const err = await openStore({ dataDir: t.dir, isNamespaced }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).toContain(statePath());
      expect(readFileSync(statePath(), 'utf8')).toBe(text);
      expect(existsSync(join(t.dir, 'metalbox.lock'))).toBe(false);
    });
  }

  it('refuses a schema-invalid object, naming it', async () => {
    writeFileSync(statePath(), JSON.stringify({ schemaVersion: 1, resourceVersion: 1, objects: [server('bad', {}, { accepted: 'maybe' })] }));
    const before = readFileSync(statePath());
    const err = await openStore({
      dataDir: t.dir,
      isNamespaced,
      validate: (o) => {
        if (typeof (o.spec as { accepted: unknown }).accepted !== 'boolean') throw new Error('spec.accepted: expected true or false');
        return o;
      },
    }).catch((e: unknown) => e as Error);
    expect((err as Error).message).toMatch(/objects\[0\] Server bad: spec.accepted/);
    expect(readFileSync(statePath()).equals(before)).toBe(true);
  });

  it('keeps three generations of backups of the last good state', async () => {
    for (let i = 0; i < 5; i++) {
      const o = await openStore({ dataDir: t.dir, isNamespaced });
      await o.store.create(server(`gen${i}`));
      await o.close();
    }
    const names = (p: string) => (JSON.parse(readFileSync(p, 'utf8')) as { objects: { metadata: { name: string } }[] }).objects.map((x) => x.metadata.name);
    expect(names(`${statePath()}.bak.1`)).toEqual(['gen0', 'gen1', 'gen2', 'gen3']);
    expect(names(`${statePath()}.bak.2`)).toEqual(['gen0', 'gen1', 'gen2']);
    expect(names(`${statePath()}.bak.3`)).toEqual(['gen0', 'gen1']);
    expect(existsSync(`${statePath()}.bak.4`)).toBe(false);
  });

  it('migrates an older schema through the hook and writes it back', async () => {
    writeFileSync(statePath(), JSON.stringify({ schemaVersion: 0, resourceVersion: 0, things: [server('old')] }));
    const o = await openStore({
      dataDir: t.dir,
      isNamespaced,
      migrations: { 0: (s) => ({ schemaVersion: 1, resourceVersion: 1, objects: (s as unknown as { things: never[] }).things }) },
    });
    expect(o.store.get('Server', 'old')).toBeDefined();
    await o.close();
    expect(JSON.parse(readFileSync(statePath(), 'utf8')).schemaVersion).toBe(1);
  });
});

describe('one owner per data directory', () => {
  it('refuses a second owner naming the live pid', async () => {
    const child = spawn('sleep', ['30']);
    writeFileSync(join(t.dir, 'metalbox.lock'), `${child.pid}\n`);
    try {
      expect(() => acquireLock(t.dir)).toThrow(new RegExp(`pid ${child.pid}`));
    } finally {
      child.kill();
    }
  });

  it('refuses a second openStore in the same process tree while the first holds the lock', async () => {
    const first = await openStore({ dataDir: t.dir, isNamespaced });
    // Our own pid owns it; a different live pid is the realistic case, simulated by rewriting the owner.
    const sleeper = spawn('sleep', ['30']);
    writeFileSync(join(t.dir, 'metalbox.lock'), `${sleeper.pid}\n`);
    await expect(openStore({ dataDir: t.dir, isNamespaced })).rejects.toMatchObject({ code: 'ALREADY_RUNNING' });
    sleeper.kill();
    writeFileSync(join(t.dir, 'metalbox.lock'), `${process.pid}\n`);
    await first.close();
    expect(existsSync(join(t.dir, 'metalbox.lock'))).toBe(false);
    expect(readFileSync(statePath(), 'utf8')).toContain('"objects"');
  });
});
