import { describe, expect, it } from 'vitest';
import type { HardwareInformation, Qualifiers, Server, ServerClass } from '../../src/api/index.js';
import { classSelects, hardwareMatches, parseSize, qualifiersMatch, serverClassStatus, serversOfClass } from '../../src/api/index.js';

const hw: HardwareInformation = {
  system: { manufacturer: 'Dell Inc.', productName: 'PowerEdge R630', serialNumber: '790H8D2' },
  compute: {
    processorCount: 2,
    processors: [
      { manufacturer: 'Intel', productName: 'Intel(R) Xeon(R) CPU E5-2630 v3 @ 2.40GHz', coreCount: 8 },
      { manufacturer: 'Intel', productName: 'Intel(R) Xeon(R) CPU E5-2650 v2 @ 2.60GHz', coreCount: 8 },
    ],
  },
  memory: { totalSize: '32 GB', modules: [{ size: 16384, type: 'DDR4' }, { size: 16384, type: 'DDR4' }] },
  storage: { totalSize: '1116 GB', devices: [{ type: 'HDD', size: 1199101181952, name: 'sda' }, { type: 'NVMe', size: 512110190592, name: 'nvme0n1' }] },
  network: { interfaces: [{ name: 'lo', mac: '' }, { name: 'enp3s0', mac: '40:8d:5c:86:5a:14', addresses: ['192.168.2.8/24'] }] },
};

describe('hardware qualifiers', () => {
  it.each<[string, HardwareInformation, boolean]>([
    ['an empty entry matches anything', {}, true],
    ['empty fields are ignored', { system: { manufacturer: '', productName: undefined }, compute: { processors: [] } }, true],
    ['a scalar matches exactly', { system: { manufacturer: 'Dell Inc.' } }, true],
    ['scalars are case-sensitive (as Sidero)', { system: { manufacturer: 'dell inc.' } }, false],
    ['fields inside one entry are ANDed', { system: { manufacturer: 'Dell Inc.', productName: 'R720' } }, false],
    ['a processor at position 0 matches', { compute: { processors: [{ productName: 'Intel(R) Xeon(R) CPU E5-2630 v3 @ 2.40GHz' }] } }, true],
    ['a processor at position 1 matches too (Sidero: positional only)', { compute: { processors: [{ productName: 'Intel(R) Xeon(R) CPU E5-2650 v2 @ 2.60GHz' }] } }, true],
    ['a processor the server lacks does not match', { compute: { processors: [{ productName: 'AMD EPYC 7302' }] } }, false],
    ['two wanted elements need two different server elements', { compute: { processors: [{ manufacturer: 'Intel' }, { manufacturer: 'Intel' }] } }, true],
    ['three wanted elements cannot fit two processors', { compute: { processors: [{ manufacturer: 'Intel' }, { manufacturer: 'Intel' }, { manufacturer: 'Intel' }] } }, false],
    ['a disk found at any position', { storage: { devices: [{ type: 'NVMe' }] } }, true],
    ['a wanted element matches on all of its fields', { storage: { devices: [{ type: 'NVMe', name: 'sda' }] } }, false],
    ['sizes compare as numbers: "32GB"', { memory: { totalSize: '32GB' } }, true],
    ['sizes compare as numbers: "32768 MB"', { memory: { totalSize: '32768 MB' } }, true],
    ['sizes compare as numbers: "32 GiB"', { memory: { totalSize: '32 GiB' } }, true],
    ['a different size does not match', { memory: { totalSize: '64 GB' } }, false],
    ['numbers compare exactly', { memory: { modules: [{ size: 16384 }] } }, true],
    ['a network interface by MAC', { network: { interfaces: [{ mac: '40:8d:5c:86:5a:14' }] } }, true],
    ['an address inside an interface list', { network: { interfaces: [{ addresses: ['192.168.2.8/24'] }] } }, true],
  ])('%s', (_, want, expected) => {
    expect(hardwareMatches(want, hw)).toBe(expected);
  });

  it('a server without hardware matches only empty qualifiers', () => {
    expect(hardwareMatches({}, undefined)).toBe(true);
    expect(hardwareMatches({ system: { manufacturer: 'Dell Inc.' } }, undefined)).toBe(false);
  });

  it('parses sizes as Sidero writes them (GB meaning GiB) and refuses bare numbers', () => {
    expect(parseSize('32 GB')).toBe(32 * 1024 ** 3);
    expect(parseSize('1116 GB')).toBe(1116 * 1024 ** 3);
    expect(parseSize('512 MiB')).toBe(512 * 1024 ** 2);
    expect(parseSize('2tb')).toBe(2 * 1024 ** 4);
    expect(parseSize('1.5 GB')).toBe(1.5 * 1024 ** 3);
    expect(parseSize('32')).toBeUndefined();
    expect(parseSize('GB')).toBeUndefined();
    expect(parseSize('32 GHz')).toBeUndefined();
  });
});

const server = (name: string, opts: { accepted?: boolean; cordoned?: boolean; labels?: Record<string, string>; hardware?: HardwareInformation; inUse?: boolean } = {}): Server => ({
  apiVersion: 'metal.sidero.dev/v1alpha2',
  kind: 'Server',
  metadata: { name, ...(opts.labels ? { labels: opts.labels } : {}) },
  spec: { accepted: opts.accepted ?? true, ...(opts.cordoned ? { cordoned: true } : {}), ...(opts.hardware ? { hardware: opts.hardware } : {}) },
  ...(opts.inUse !== undefined ? { status: { inUse: opts.inUse } } : {}),
});

const cls = (spec: Partial<ServerClass['spec'] & object>): ServerClass => ({
  apiVersion: 'metal.sidero.dev/v1alpha2',
  kind: 'ServerClass',
  metadata: { name: 'c' },
  spec: { qualifiers: {}, selector: {}, ...spec },
});

describe('ServerClass membership', () => {
  it('hardware entries are alternatives (OR)', () => {
    const q = { hardware: [{ system: { manufacturer: 'HPE' } }, { memory: { totalSize: '32 GB' } }] };
    expect(qualifiersMatch(q, server('a', { hardware: hw }))).toBe(true);
    expect(qualifiersMatch({ hardware: [{ system: { manufacturer: 'HPE' } }] }, server('a', { hardware: hw }))).toBe(false);
    expect(qualifiersMatch(q, server('a'))).toBe(false);
  });

  it('labelSelectors keep Sidero\'s semantics: any key=value of any map', () => {
    const q: Qualifiers = { labelSelectors: [{ zone: 'west', rack: 'r9' }, { tier: 'gpu' }] };
    expect(qualifiersMatch(q, server('a', { labels: { zone: 'east', rack: 'r9' } }))).toBe(true);
    expect(qualifiersMatch(q, server('a', { labels: { tier: 'gpu' } }))).toBe(true);
    expect(qualifiersMatch(q, server('a', { labels: { zone: 'east' } }))).toBe(false);
    expect(qualifiersMatch(q, server('a'))).toBe(false);
  });

  it('needs accepted, not cordoned, the selector and the qualifiers all at once', () => {
    const c = cls({ selector: { matchLabels: { zone: 'east' } }, qualifiers: { hardware: [{ system: { manufacturer: 'Dell Inc.' } }] } });
    const good = { labels: { zone: 'east' }, hardware: hw };
    expect(classSelects(c, server('a', good))).toBe(true);
    expect(classSelects(c, server('a', { ...good, accepted: false }))).toBe(false);
    expect(classSelects(c, server('a', { ...good, cordoned: true }))).toBe(false);
    expect(classSelects(c, server('a', { ...good, labels: { zone: 'west' } }))).toBe(false);
    expect(classSelects(c, server('a', { labels: { zone: 'east' } }))).toBe(false);
  });

  it('the class `any` selects every accepted, uncordoned server, sorted by name, split by use', () => {
    const servers = [
      server('c3', { inUse: true }),
      server('a1'),
      server('b2', { accepted: false }),
      server('d4', { cordoned: true }),
      server('e5', { hardware: hw, inUse: false }),
    ];
    const any = cls({});
    expect(serversOfClass(any, servers).map((s) => s.metadata.name)).toEqual(['a1', 'c3', 'e5']);
    expect(serverClassStatus(any, servers)).toEqual({ serversAvailable: ['a1', 'e5'], serversInUse: ['c3'] });
  });
});
