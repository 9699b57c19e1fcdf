import { describe, expect, it } from 'vitest';
import { keyOf, matchesSelector, parseSelector, resourceKey, SelectorSyntaxError } from '../../src/api/index.js';

const labels = { zone: 'east', tier: 'gpu', 'common-label': 'true', 'metal.sidero.dev/uuid': 'abc' };

describe('label selectors', () => {
  it.each([
    ['', true],
    ['zone=east', true],
    ['zone==east', true],
    ['zone=west', false],
    ['zone!=west', true],
    ['zone!=east', false],
    ['zone in (east,central)', true],
    ['zone in (west, central)', false],
    ['zone notin (west)', true],
    ['zone notin (east)', false],
    ['tier', true],
    ['missing', false],
    ['!missing', true],
    ['!tier', false],
    ['zone=east,tier=gpu', true],
    ['zone=east,tier=cpu', false],
    ['zone in (east),!missing,common-label=true', true],
    ['metal.sidero.dev/uuid=abc', true],
    ['absent!=x', true],
  ])('%j selects %s', (text, expected) => {
    expect(matchesSelector(labels, parseSelector(text))).toBe(expected);
  });

  it('treats an undefined selector and undefined labels as Kubernetes does', () => {
    expect(matchesSelector(labels, undefined)).toBe(true);
    expect(matchesSelector(undefined, {})).toBe(true);
    expect(matchesSelector(undefined, { matchLabels: { a: 'b' } })).toBe(false);
    expect(matchesSelector(undefined, { matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] })).toBe(true);
    expect(matchesSelector(undefined, { matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['x'] }] })).toBe(true);
  });

  it('ANDs matchLabels with matchExpressions', () => {
    const sel = { matchLabels: { zone: 'east' }, matchExpressions: [{ key: 'tier', operator: 'In' as const, values: ['cpu'] }] };
    expect(matchesSelector(labels, sel)).toBe(false);
    expect(matchesSelector({ ...labels, tier: 'cpu' }, sel)).toBe(true);
  });

  it('parses into matchLabels and matchExpressions', () => {
    expect(parseSelector('a=b, c notin (x, y),d,!e')).toEqual({
      matchLabels: { a: 'b' },
      matchExpressions: [
        { key: 'c', operator: 'NotIn', values: ['x', 'y'] },
        { key: 'd', operator: 'Exists' },
        { key: 'e', operator: 'DoesNotExist' },
      ],
    });
  });

  it.each(['a=b=c', 'a in x', '=b', 'a b'])('refuses %j with the offending part', (text) => {
    expect(() => parseSelector(text)).toThrow(SelectorSyntaxError);
  });
});

describe('resource keys', () => {
  it('keys namespaced and cluster-scoped objects apart', () => {
    expect(resourceKey('Server', 'abc')).toBe('Server//abc');
    expect(resourceKey('Machine', 'm1', 'default')).toBe('Machine/default/m1');
    expect(keyOf({ kind: 'Machine', metadata: { name: 'm1', namespace: 'ns' } })).toBe('Machine/ns/m1');
  });
});
