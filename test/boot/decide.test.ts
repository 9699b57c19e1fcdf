import { describe, expect, it } from 'vitest';
import type { Condition, Environment, Server, ServerBinding, ServerClass } from '../../src/api/index.js';
import { decideBoot, environmentFor, type BootAnswer, type BootInput } from '../../src/boot/index.js';
import { defaultSettings } from '../../src/config/index.js';

const T = '2024-05-01T12:00:00Z';
const cond = (type: string): Condition => ({ type, status: 'True', lastTransitionTime: T });

function server(spec: Partial<NonNullable<Server['spec']>> = {}, status: Server['status'] = {}): Server {
  return { apiVersion: 'metal.sidero.dev/v1alpha2', kind: 'Server', metadata: { name: 'u1' }, spec: { accepted: true, ...spec }, status };
}

function binding(conditions: Condition[] = [], cls?: string): ServerBinding {
  return {
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1alpha3',
    kind: 'ServerBinding',
    metadata: { name: 'u1' },
    spec: { metalMachineRef: { namespace: 'default', name: 'm1' }, ...(cls ? { serverClassRef: { name: cls } } : {}) },
    status: { ready: true, conditions },
  };
}

function cls(spec: Partial<ServerClass['spec']> = {}): ServerClass {
  return { apiVersion: 'metal.sidero.dev/v1alpha2', kind: 'ServerClass', metadata: { name: 'workers' }, spec: { qualifiers: {}, selector: {}, ...spec } };
}

function env(name: string, arch = 'amd64'): Environment {
  return {
    apiVersion: 'metal.sidero.dev/v1alpha2',
    kind: 'Environment',
    metadata: { name, annotations: { 'metalbox.dev/arch': arch } },
    spec: { kernel: { url: 'http://x/vmlinuz', sha512: 'a'.repeat(128), args: [] } },
  };
}

const ready = () => ({ ready: true });
const settings = defaultSettings();

function decide(i: Partial<BootInput> & { server: Server }): BootAnswer {
  return decideBoot({ arch: 'amd64', settings, ...i });
}

/** The short form of an answer, for the table. */
function short(a: BootAnswer): string {
  switch (a.action) {
    case 'park':
      return `park: ${a.reason}`;
    case 'disk':
      return `disk ${a.method}`;
    case 'refuse':
      return `${a.status}`;
    default:
      return `${a.action} ${a.environment.metadata.name}`;
  }
}

describe('the boot decision (DESIGN.md section 4)', () => {
  const installedOnServer = server({}, { conditions: [cond('PXEBooted')] });
  const rows: [string, Partial<BootInput> & { server: Server }, string][] = [
    ['known, not accepted', { server: server({ accepted: false }) }, 'park: not accepted yet: accept it to use it'],
    ['not accepted even when allocated', { server: server({ accepted: false }), binding: binding() }, 'park: not accepted yet: accept it to use it'],
    ['accepted, not allocated, clean', { server: server({}, { isClean: true }) }, 'park: accepted and waiting to be allocated'],
    ['accepted, never allocated (isClean unset) counts as clean', { server: server() }, 'park: accepted and waiting to be allocated'],
    ['allocated, not yet installed', { server: server(), binding: binding(), environment: { resource: env('default'), readiness: ready } }, 'install default'],
    ['installed (PXEBooted on the Server)', { server: installedOnServer, binding: binding() }, 'disk ipxe-exit'],
    ['installed (TalosInstalled on the binding)', { server: server(), binding: binding([cond('TalosInstalled')]) }, 'disk ipxe-exit'],
    ['installed but pxeBootAlways: the environment again', { server: server({ pxeBootAlways: true }, { conditions: [cond('PXEBooted')] }), binding: binding(), environment: { resource: env('default'), readiness: ready } }, 'install default'],
    ['PXEBooted without a binding is not installed (released)', { server: server({}, { conditions: [cond('PXEBooted')], isClean: false }), environment: { resource: env('default'), readiness: ready } }, 'wipe default'],
    ['released, dirty', { server: server({}, { isClean: false }), environment: { resource: env('default'), readiness: ready } }, 'wipe default'],
    ['cordoned', { server: server({ cordoned: true }) }, 'park: cordoned'],
    ['cordoned and allocated', { server: server({ cordoned: true }), binding: binding() }, 'park: cordoned'],
    ['cordoned and dirty', { server: server({ cordoned: true }, { isClean: false }) }, 'park: cordoned'],
    ['cordoned but installed: boots from disk', { server: server({ cordoned: true }, { conditions: [cond('PXEBooted')] }), binding: binding() }, 'disk ipxe-exit'],
    ['allocated, environment missing', { server: server(), binding: binding() }, '404'],
    ['allocated, environment not ready', { server: server(), binding: binding(), environment: { resource: env('default'), readiness: () => ({ ready: false, reason: 'kernel not cached' }) } }, '412'],
    ['allocated, environment for the other architecture', { server: server(), binding: binding(), arch: 'arm64', environment: { resource: env('default-arm64', 'amd64'), readiness: ready } }, '412'],
    ['allocated, unknown architecture and no environment named', { server: server(), binding: binding(), arch: undefined }, '412'],
  ];
  it.each(rows)('%s', (_name, input, want) => {
    expect(short(decide(input))).toBe(want);
  });

  it('says why an environment is not ready', () => {
    const a = decide({ server: server(), binding: binding(), environment: { resource: env('default'), readiness: () => ({ ready: false, reason: 'kernel not cached' }) } });
    expect(a).toMatchObject({ action: 'refuse', status: 412, reason: 'environment "default" is not ready: kernel not cached' });
  });
});

describe('boot from disk method: Server > bound ServerClass > setting', () => {
  const installed = (spec: Partial<NonNullable<Server['spec']>> = {}) => server(spec, { conditions: [cond('PXEBooted')] });
  const methods = ['ipxe-exit', 'ipxe-sanboot', 'http-404'] as const;
  for (const m of methods) {
    it(`setting ${m}`, () => {
      expect(short(decide({ server: installed(), binding: binding(), settings: { bootFromDiskMethod: m } }))).toBe(`disk ${m}`);
    });
    it(`ServerClass ${m} wins over the setting`, () => {
      const other = m === 'ipxe-exit' ? 'http-404' : 'ipxe-exit';
      expect(short(decide({ server: installed(), binding: binding([], 'workers'), serverClass: cls({ bootFromDiskMethod: m }), settings: { bootFromDiskMethod: other } }))).toBe(`disk ${m}`);
    });
    it(`Server ${m} wins over the ServerClass`, () => {
      const other = m === 'ipxe-sanboot' ? 'http-404' : 'ipxe-sanboot';
      expect(short(decide({ server: installed({ bootFromDiskMethod: m }), binding: binding([], 'workers'), serverClass: cls({ bootFromDiskMethod: other }) }))).toBe(`disk ${m}`);
    });
  }
});

describe('which Environment: Server > bound ServerClass > default for the architecture', () => {
  it('the Server\'s own', () => {
    expect(environmentFor(server({ environmentRef: { name: 'mine' } }), cls({ environmentRef: { name: 'theirs' } }), 'amd64')).toBe('mine');
  });
  it('the bound class\'s', () => {
    expect(environmentFor(server(), cls({ environmentRef: { name: 'theirs' } }), 'amd64')).toBe('theirs');
  });
  it('default for amd64 (BIOS iPXE reports i386) and default-arm64 for arm64', () => {
    expect(environmentFor(server(), cls(), 'amd64')).toBe('default');
    expect(environmentFor(server(), undefined, 'arm64')).toBe('default-arm64');
    expect(environmentFor(server(), undefined, undefined)).toBeUndefined();
  });
  it('an install uses the class environment, a wipe never does (the class is gone once released)', () => {
    const c = cls({ environmentRef: { name: 'class-env' } });
    const a = decide({ server: server(), binding: binding([], 'workers'), serverClass: c, environment: { resource: env('class-env'), readiness: ready } });
    expect(short(a)).toBe('install class-env');
  });
});
