/**
 * The appliance settings: one declarative schema that gives the TypeScript type's defaults, the
 * validation, the environment variable names and the commented `metalbox.yaml` written on first start.
 * The keys are a stable contract used by scripts: add keys, never rename them.
 */

export type SettingNode =
  | { kind: 'string'; default: string; doc: string }
  | { kind: 'int'; default: number; min: number; max: number; doc: string }
  | { kind: 'bool'; default: boolean; doc: string }
  | { kind: 'enum'; default: string; values: readonly string[]; doc: string }
  | { kind: 'ipv4'; default: string; allowEmpty: boolean; doc: string }
  | { kind: 'ipv4range'; default: string; doc: string }
  | { kind: 'duration'; default: number; doc: string }
  | { kind: 'list'; of: SettingNode; default: unknown[]; doc: string }
  | { kind: 'object'; fields: Record<string, SettingNode>; doc?: string };

const str = (d: string, doc: string): SettingNode => ({ kind: 'string', default: d, doc });
const int = (d: number, min: number, max: number, doc: string): SettingNode => ({ kind: 'int', default: d, min, max, doc });
const port = (d: number, doc: string): SettingNode => int(d, 1, 65535, doc);
const bool = (d: boolean, doc: string): SettingNode => ({ kind: 'bool', default: d, doc });
const ipv4 = (doc: string): SettingNode => ({ kind: 'ipv4', default: '', allowEmpty: true, doc });
const duration = (seconds: number, doc: string): SettingNode => ({ kind: 'duration', default: seconds, doc });

export const BOOT_FROM_DISK_METHODS = ['ipxe-exit', 'ipxe-sanboot', 'http-404'] as const;
export const DHCP_MODES = ['proxy', 'full', 'off'] as const;

export const settingsSchema = {
  kind: 'object',
  fields: {
    interface: str('', 'provisioning interface; empty = auto-detect'),
    address: ipv4('advertised IPv4 address; empty = the interface\'s'),
    dhcp: {
      kind: 'object',
      doc: 'network boot DHCP',
      fields: {
        mode: { kind: 'enum', default: 'proxy', values: DHCP_MODES, doc: 'proxy | full | off' },
        range: { kind: 'ipv4range', default: '', doc: 'full mode, e.g. 10.77.0.100-10.77.0.200' },
        port: port(67, 'DHCP server port'),
        proxyPort: port(4011, 'PXE boot server port (UEFI clients ask here in proxy mode)'),
        leaseTime: duration(3600, 'full mode lease time, seconds or 30m, 1h'),
        router: ipv4('full mode default gateway handed out; empty = none'),
        dns: { kind: 'list', of: ipv4('DNS server'), default: [], doc: 'full mode DNS servers handed out' },
        reservations: {
          kind: 'list',
          default: [],
          doc: 'full mode static leases: [{mac: aa:bb:cc:dd:ee:ff, address: 10.77.0.10}]',
          of: {
            kind: 'object',
            fields: {
              mac: str('', 'client MAC'),
              address: { kind: 'ipv4', default: '', allowEmpty: false, doc: 'reserved address' },
              hostname: str('', 'host name handed out'),
            },
          },
        },
        checkOtherServers: bool(true, 'full mode: refuse to start if another DHCP server answers'),
      },
    },
    tftp: {
      kind: 'object',
      doc: 'TFTP for the iPXE binaries',
      fields: {
        port: port(69, 'TFTP server port'),
        maxBlksize: int(1468, 8, 65464, 'largest block size granted to a client (RFC 2348)'),
        timeout: duration(2, 'retransmission timeout, seconds'),
        retries: int(5, 1, 50, 'retransmissions before a transfer is abandoned'),
      },
    },
    http: {
      kind: 'object',
      doc: 'iPXE scripts, boot assets and machine configs',
      fields: {
        port: port(8081, 'HTTP port'),
      },
    },
    talos: {
      kind: 'object',
      doc: 'where Talos reports its install progress (given to it as talos.events.sink= and talos.logging.kernel=)',
      fields: {
        eventsPort: port(4002, 'Talos event sink, gRPC (Sidero uses 4002)'),
        kernelLogPort: port(4001, 'Talos kernel log receiver, TCP JSON lines (Sidero uses 4001)'),
      },
    },
    autoAcceptServers: bool(false, 'accept newly discovered servers without an operator'),
    bootFromDiskMethod: {
      kind: 'enum',
      default: 'ipxe-exit',
      values: BOOT_FROM_DISK_METHODS,
      doc: 'ipxe-exit | ipxe-sanboot | http-404',
    },
    ipxe: {
      kind: 'object',
      doc: 'where the iPXE binaries are looked up, in order (relative paths: the Metalbox installation)',
      fields: {
        paths: { kind: 'list', of: str('', 'folder'), default: ['assets/ipxe', '/usr/lib/ipxe'], doc: 'folders' },
      },
    },
    boot: {
      kind: 'object',
      doc: 'boot flow',
      fields: {
        tokenTtl: duration(3600, 'how long a machine-config boot token stays valid'),
        parkInterval: duration(30, 'how long a parked machine waits before asking again'),
      },
    },
    power: {
      kind: 'object',
      doc: 'BMC power control',
      fields: {
        pollInterval: duration(30, 'how often each server\'s power state is read'),
        maxConcurrent: int(8, 1, 256, 'BMCs talked to at once'),
        timeout: duration(15, 'timeout of one BMC operation'),
        ipmiCipherSuite: int(17, 0, 17, 'IPMI lanplus cipher suite tried first'),
        ipmiFallbackCipherSuite: int(3, 0, 17, 'cipher suite tried when the first is refused'),
        lifecycle: {
          kind: 'enum',
          default: 'full',
          values: ['full', 'boot-only', 'off'],
          doc: 'full: power servers on into PXE to install or wipe, off when idle | boot-only: never off | off: never by itself',
        },
      },
    },
    log: {
      kind: 'object',
      doc: 'logging',
      fields: {
        level: { kind: 'enum', default: 'info', values: ['debug', 'info', 'warn', 'error'], doc: 'debug | info | warn | error' },
      },
    },
  },
} as const satisfies SettingNode;

export interface DhcpReservation {
  mac: string;
  address: string;
  hostname: string;
}

export interface Settings {
  interface: string;
  address: string;
  dhcp: {
    mode: (typeof DHCP_MODES)[number];
    range: string;
    port: number;
    proxyPort: number;
    leaseTime: number;
    router: string;
    dns: string[];
    reservations: DhcpReservation[];
    checkOtherServers: boolean;
  };
  tftp: { port: number; maxBlksize: number; timeout: number; retries: number };
  http: { port: number };
  talos: { eventsPort: number; kernelLogPort: number };
  autoAcceptServers: boolean;
  bootFromDiskMethod: (typeof BOOT_FROM_DISK_METHODS)[number];
  ipxe: { paths: string[] };
  boot: { tokenTtl: number; parkInterval: number };
  power: {
    pollInterval: number;
    maxConcurrent: number;
    timeout: number;
    ipmiCipherSuite: number;
    ipmiFallbackCipherSuite: number;
    lifecycle: 'full' | 'boot-only' | 'off';
  };
  log: { level: 'debug' | 'info' | 'warn' | 'error' };
}

/** The built-in defaults, derived from the schema. */
export function defaultSettings(): Settings {
  return defaultsOf(settingsSchema) as Settings;
}

function defaultsOf(node: SettingNode): unknown {
  if (node.kind === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node.fields)) out[k] = defaultsOf(v);
    return out;
  }
  if (node.kind === 'list') return structuredClone(node.default);
  return node.default;
}
