/** The pure parts: event payload decoding, Sidero's rules, the kernel log line codec, the line budget. */
import { describe, expect, it } from 'vitest';
import { addressOfPeer, decodeEvent, effectOf, LineBudget, LineSplitter, loadEventMessages, logLineText, MAX_LINE, parseKmsgLine, type TalosEvent } from '../../src/talos-sink/index.js';
import { anyOf, REBOOT_ERROR, type Payload } from './talos.js';

const root = loadEventMessages();
const decode = (p: Payload) => {
  const a = anyOf(p);
  return decodeEvent(root, a.type_url, a.value);
};
const ok = (p: Payload): TalosEvent => {
  const d = decode(p);
  if (!d.ok) throw new Error(d.reason);
  return d.event;
};

describe('event payloads', () => {
  it('decode every event type Talos publishes to the sink', () => {
    expect(ok(['machine.SequenceEvent', { sequence: 'install', action: 'NOOP', error: { code: 'FATAL', message: REBOOT_ERROR } }])).toEqual({
      kind: 'sequence',
      sequence: 'install',
      action: 'NOOP',
      error: { code: 'FATAL', message: REBOOT_ERROR },
    });
    expect(ok(['machine.SequenceEvent', { sequence: 'boot', action: 'START' }])).toEqual({ kind: 'sequence', sequence: 'boot', action: 'START' });
    expect(ok(['machine.PhaseEvent', { phase: 'saveConfig', action: 'START' }])).toEqual({ kind: 'phase', phase: 'saveConfig', action: 'START' });
    expect(ok(['machine.TaskEvent', { task: 'install', action: 'STOP' }])).toEqual({ kind: 'task', task: 'install', action: 'STOP' });
    expect(ok(['machine.ServiceStateEvent', { service: 'etcd', action: 'FAILED', message: 'exit 1', health: { healthy: false } }])).toEqual({ kind: 'service', service: 'etcd', action: 'FAILED', message: 'exit 1' });
    expect(ok(['machine.ConfigLoadErrorEvent', { error: 'bad yaml' }])).toEqual({ kind: 'config-load-error', error: 'bad yaml' });
    expect(ok(['machine.ConfigValidationErrorEvent', { error: 'no disk' }])).toEqual({ kind: 'config-validation-error', error: 'no disk' });
    expect(ok(['machine.MachineStatusEvent', { stage: 'RUNNING', status: { ready: false, unmet_conditions: [{ name: 'nodeReady', reason: 'node not ready' }] } }])).toEqual({
      kind: 'machine-status',
      stage: 'RUNNING',
      ready: false,
      unmet: [{ name: 'nodeReady', reason: 'node not ready' }],
    });
  });

  it('keep only real addresses, a bounded number of them, and printable bounded text', () => {
    const many = Array.from({ length: 100 }, (_, i) => `10.0.${i >> 8}.${i & 255}`);
    const e = ok(['machine.AddressEvent', { hostname: 'node\u0007-1\n', addresses: ['10.0.0.5', 'not-an-ip', '10.0.0.5', 'fd00::1', ...many] }]);
    expect(e).toMatchObject({ kind: 'address', hostname: 'node -1' });
    expect(e.kind === 'address' && e.addresses.slice(0, 3)).toEqual(['10.0.0.5', 'fd00::1', '10.0.0.0']);
    expect(e.kind === 'address' && e.addresses.length).toBe(32);
    const long = ok(['machine.ConfigLoadErrorEvent', { error: 'x'.repeat(100_000) }]);
    expect(long.kind === 'config-load-error' && long.error.length).toBe(2048);
  });

  it('say why a payload is unusable, and tell unknown types apart from broken ones', () => {
    expect(decodeEvent(root, 'type.googleapis.com/machine.RestartEvent', Buffer.from([8, 1]))).toMatchObject({ ok: false, unknownType: true });
    expect(decodeEvent(root, 'garbage', Buffer.alloc(0))).toMatchObject({ ok: false, unknownType: true });
    expect(decodeEvent(root, 'type.googleapis.com/machine.PhaseEvent', Buffer.from([0x0a, 0x50, 0x41]))).toMatchObject({ ok: false, reason: expect.stringContaining('does not decode') });
    expect(decodeEvent(root, 'type.googleapis.com/machine.PhaseEvent', Buffer.from([0x10, 0x07]))).toEqual({ ok: false, reason: 'machine.PhaseEvent: unknown phase action 7' });
  });

  it('never throw on random bytes for any type', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    for (const type of ['SequenceEvent', 'PhaseEvent', 'AddressEvent', 'MachineStatusEvent', 'ServiceStateEvent']) {
      for (let i = 0; i < 300; i++) {
        const bytes = Buffer.from(Array.from({ length: rnd() % 64 }, () => rnd() & 255));
        const d = decodeEvent(root, `type.googleapis.com/machine.${type}`, bytes);
        expect(typeof d.ok).toBe('boolean');
      }
    }
  });
});

describe("Sidero's events-manager rules", () => {
  const fx = (p: Payload) => effectOf(ok(p));
  it.each([
    ['phase install START', ['machine.PhaseEvent', { phase: 'install', action: 'START' }], [{ type: 'TalosInstalled', status: 'False', reason: 'TalosInstallationInProgress', severity: 'Info' }], undefined],
    ['phase saveConfig START', ['machine.PhaseEvent', { phase: 'saveConfig', action: 'START' }], [{ type: 'TalosConfigValidated', status: 'True' }, { type: 'TalosConfigLoaded', status: 'True' }], undefined],
    ['phase saveConfig STOP', ['machine.PhaseEvent', { phase: 'saveConfig', action: 'STOP' }], [], undefined],
    ['install ends with its reboot', ['machine.SequenceEvent', { sequence: 'install', action: 'NOOP', error: { code: 'FATAL', message: REBOOT_ERROR } }], [{ type: 'TalosInstalled', status: 'True' }], true],
    ['install STOP (success and failure alike)', ['machine.SequenceEvent', { sequence: 'install', action: 'STOP' }], [], undefined],
    ['install locked out', ['machine.SequenceEvent', { sequence: 'install', action: 'NOOP', error: { code: 'LOCKED', message: 'unix.Reboot' } }], [], undefined],
    ['boot START', ['machine.SequenceEvent', { sequence: 'boot', action: 'START' }], [{ type: 'TalosInstalled', status: 'True' }, { type: 'TalosConfigValidated', status: 'True' }, { type: 'TalosConfigLoaded', status: 'True' }], true],
    ['config load error', ['machine.ConfigLoadErrorEvent', { error: 'e' }], [{ type: 'TalosConfigLoaded', status: 'False', reason: 'TalosConfigLoadFailed', severity: 'Error', message: 'e' }], undefined],
    ['a task', ['machine.TaskEvent', { task: 'install', action: 'START' }], [], undefined],
  ] as [string, Payload, unknown[], boolean | undefined][])('%s', (_name, p, conditions, installed) => {
    const e = fx(p);
    expect(e.conditions).toEqual(conditions);
    expect(e.installed).toBe(installed);
  });

  it('a failed install sequence is TalosInstallationFailed with its message; another sequence failing changes nothing', () => {
    const failed = fx(['machine.SequenceEvent', { sequence: 'install', action: 'NOOP', error: { code: 'FATAL', message: 'no disk' } }]);
    expect(failed.conditions).toEqual([{ type: 'TalosInstalled', status: 'False', reason: 'TalosInstallationFailed', severity: 'Error', message: 'no disk' }]);
    expect(failed.note).toEqual({ phase: 'install failed', detail: 'no disk' });
    expect(fx(['machine.SequenceEvent', { sequence: 'upgrade', action: 'NOOP', error: { code: 'FATAL', message: 'x' } }]).conditions).toEqual([]);
  });

  it('timeline lines in the operator words, none for tasks', () => {
    expect(fx(['machine.PhaseEvent', { phase: 'install', action: 'START' }]).note).toEqual({ phase: 'writing Talos to the disk', detail: '(install)' });
    expect(fx(['machine.PhaseEvent', { phase: 'somethingNew', action: 'START' }]).note).toEqual({ phase: 'phase somethingNew', detail: '(somethingNew)' });
    expect(fx(['machine.TaskEvent', { task: 'install', action: 'START' }]).note).toBeUndefined();
    expect(fx(['machine.ServiceStateEvent', { service: 'etcd', action: 'RUNNING' }]).note).toBeUndefined();
    expect(fx(['machine.ServiceStateEvent', { service: 'etcd', action: 'FAILED', message: 'exit 1' }]).note).toEqual({ phase: 'service etcd failed', detail: 'exit 1' });
  });
});

describe('kernel log lines', () => {
  it('parse the JSON Talos sends (the sample in its docs)', () => {
    const line = '{"clock":6252819,"facility":"user","msg":"[talos] task startAllServices (1/1): waiting for 6 services\\n","priority":"warning","seq":711,"talos-level":"warn","talos-time":"2021-11-26T16:53:21.3258698Z"}';
    const p = parseKmsgLine(line);
    expect(p).toEqual({
      ok: true,
      record: { msg: '[talos] task startAllServices (1/1): waiting for 6 services', facility: 'user', priority: 'warning', level: 'warn', seq: 711, clock: 6252819, time: '2021-11-26T16:53:21.3258698Z' },
    });
    expect(p.ok && logLineText(p.record)).toBe('[warn] [talos] task startAllServices (1/1): waiting for 6 services');
    expect(logLineText({ msg: 'e1000: eth0 NIC Link is Up', level: 'info' })).toBe('e1000: eth0 NIC Link is Up');
  });

  it.each([
    ['plain text', 'hello', 'not JSON'],
    ['an array', '[1,2]', 'not a JSON object'],
    ['no msg', '{"facility":"kern"}', 'no "msg" text'],
    ['msg not text', '{"msg":42}', 'no "msg" text'],
  ])('refuse %s', (_n, line, reason) => {
    expect(parseKmsgLine(line)).toEqual({ ok: false, reason });
  });

  it('split a stream into lines across chunk boundaries, CRLF or LF, skipping blank lines', () => {
    const s = new LineSplitter();
    expect(s.push(Buffer.from('{"a":1}\r\n{"b"'))).toEqual(['{"a":1}']);
    expect(s.pending).toBe(4);
    expect(s.push(Buffer.from(':2}\n\n\n{"c":3}\n'))).toEqual(['{"b":2}', '{"c":3}']);
    expect(s.pending).toBe(0);
  });

  it('drop a line longer than 64 KiB whole, hold no more than that, and go on with the next', () => {
    const s = new LineSplitter();
    const big = Buffer.alloc(MAX_LINE + 10, 0x61);
    expect(s.push(big.subarray(0, 40_000))).toEqual([]);
    expect(s.push(big.subarray(40_000))).toEqual([]);
    expect(s.pending).toBe(0);
    expect(s.oversized).toBe(1);
    expect(s.push(Buffer.from('still the big line\nnext\n'))).toEqual(['next']);
    expect(s.push(Buffer.concat([Buffer.alloc(MAX_LINE + 1, 0x62), Buffer.from('\nafter\n')]))).toEqual(['after']);
    expect(s.oversized).toBe(2);
    expect(s.push(Buffer.concat([Buffer.alloc(MAX_LINE, 0x63), Buffer.from('\n')]))).toHaveLength(1);
  });
});

describe('line budget', () => {
  it('lets perSecond lines through per key and window, and tells how many were dropped', () => {
    let t = 1_000_000;
    const b = new LineBudget(3, () => t);
    const took = Array.from({ length: 10 }, () => b.take('a').ok);
    expect(took).toEqual([true, true, true, false, false, false, false, false, false, false]);
    expect(b.take('b').ok).toBe(true);
    t += 1000;
    expect(b.take('a')).toEqual({ ok: true, note: { key: 'a', dropped: 7 } });
    expect(b.droppedTotal).toBe(7);
    for (let i = 0; i < 5; i++) b.take('a');
    t += 1500;
    expect(b.sweep()).toEqual([{ key: 'a', dropped: 3 }]);
    expect(b.keys).toBe(0);
  });
});

describe('peer addresses', () => {
  it.each([
    ['10.0.0.5:51234', '10.0.0.5'],
    ['::ffff:10.0.0.5:51234', '10.0.0.5'],
    ['[fd00::5]:51234', 'fd00::5'],
    ['ipv4:10.1.2.3:4002', '10.1.2.3'],
    ['FD00::AB', 'fd00::ab'],
  ])('%s is %s', (peer, address) => {
    expect(addressOfPeer(peer)).toBe(address);
  });
});
