/**
 * Metalbox's own settings on Sidero and Cluster API objects. They live in annotations, the place Kubernetes
 * leaves open for extension, so the same YAML still applies unchanged (`kubectl apply`) on a real Sidero
 * management cluster, which simply ignores them. Metalbox never adds fields to Sidero's specs.
 */
import { isIPv4 } from 'node:net';

const PREFIX = 'metalbox.dev/';

/**
 * Server: which power driver drives this machine: `ipmi`, `redfish`, `wol`, `qemu`, `manual` or `none`.
 * Without it, a Server with `spec.bmc` uses `ipmi` and one without uses `none`.
 */
export const POWER_DRIVER = `${PREFIX}power-driver`;

/**
 * Server or ServerClass: the iPXE binary to hand UEFI x86-64 firmware: `ipxe` (iPXE's own drivers, the
 * default) or `snponly` (the firmware's network driver, for NICs where iPXE's drivers hang). Server wins.
 */
export const IPXE_BINARY = `${PREFIX}ipxe-binary`;

/** Server: the MAC address to send Wake-on-LAN magic packets to (`aa:bb:cc:dd:ee:ff`), for the `wol` driver. */
export const WOL_MAC = `${PREFIX}wol-mac`;

/**
 * Server: an IPv4 address Wake-on-LAN packets are also sent to (a directed broadcast of another subnet, or a
 * relay), besides the provisioning subnet's broadcast.
 */
export const WOL_BROADCAST = `${PREFIX}wol-broadcast`;

/** Server: IPMI cipher suite for ipmitool `-C` (0 to 17); default ipmitool's own (3 or 17). */
export const IPMI_CIPHER_SUITE = `${PREFIX}ipmi-cipher-suite`;

/**
 * Server: the SHA-256 fingerprint of the Redfish BMC's TLS certificate (64 hex digits, colons allowed), pinned
 * for the `redfish` driver.
 */
export const BMC_CERT_SHA256 = `${PREFIX}bmc-cert-sha256`;

/** Server: `"true"` to talk to the Redfish BMC without verifying its certificate (an explicit choice). */
export const BMC_INSECURE = `${PREFIX}bmc-insecure`;

/**
 * Server: the Redfish ComputerSystem the `redfish` driver drives, by id (`System.Embedded.1`) or path
 * (`/redfish/v1/Systems/1`); default: the first member of `/redfish/v1/Systems`.
 */
export const REDFISH_SYSTEM = `${PREFIX}redfish-system`;

/** Server: the QMP endpoint of a QEMU virtual machine for the `qemu` driver (`unix:/path` or `host:port`). */
export const QEMU_QMP = `${PREFIX}qemu-qmp`;

/** Environment: the CPU architecture its kernel and initrd are built for: `amd64` or `arm64`. */
export const ARCH = `${PREFIX}arch`;

/** Environment: the Talos release its kernel and initrd come from (`v1.13.9`). */
export const TALOS_VERSION = `${PREFIX}talos-version`;

/**
 * Server, written by Metalbox: the boot token of the install in progress, as its SHA-256, expiry and the
 * address that fetched the install script (`sha256=<hex>;expires=<time>;peer=<address>`). Never the token.
 */
export const BOOT_TOKEN = `${PREFIX}boot-token`;

/**
 * Server, written by Metalbox: what iPXE reported that Sidero's hardware shape has no field for (firmware,
 * asset tag, board serial, the booting NIC's chip and bus) and, for a machine known by its MAC, why. JSON.
 */
export const BOOT_FACTS = `${PREFIX}boot-facts`;

/**
 * Objects loaded from Metalbox's built-in profiles carry this, naming the profile file; a user's change is
 * never overwritten by a later start.
 */
export const BUILT_IN = `${PREFIX}built-in`;

/**
 * Labels (not annotations: selectors match them). Server: reserved for a cluster by the operator
 * (`servers.assignCluster`): allocation for that cluster prefers it, and no other cluster takes it.
 */
export const CLUSTER_LABEL = `${PREFIX}cluster`;

/** Server: with CLUSTER_LABEL, the role it is reserved for: `controlplane` or `worker`. */
export const ROLE_LABEL = `${PREFIX}role`;

/**
 * Server: membership of a ServerClass created from the console, whose selector is `metalbox.dev/class=<name>`.
 * Assigning a server to such a class sets this label.
 */
export const CLASS_LABEL = `${PREFIX}class`;

/**
 * The annotation that records which fields the last `apply` set (a skeleton of keys, no values, so no
 * secret is copied into metadata). Used like kubectl's last-applied-configuration: a field that the
 * previous apply set and this one leaves out is removed; fields set by others (discovered hardware,
 * status, controllers' labels) are kept.
 */
export const APPLIED_FIELDS = 'metalbox.dev/applied-fields';

export const POWER_DRIVERS = ['ipmi', 'redfish', 'wol', 'qemu', 'manual', 'none'] as const;
export const IPXE_BINARIES = ['ipxe', 'snponly'] as const;
export const ARCHES = ['amd64', 'arm64'] as const;

interface AnnotationRule {
  kinds: readonly string[];
  test: (v: string) => boolean;
  expect: string;
}

function isJsonObject(v: string): boolean {
  try {
    const o: unknown = JSON.parse(v);
    return typeof o === 'object' && o !== null && !Array.isArray(o);
  } catch {
    return false;
  }
}

const MAC = /^[0-9a-fA-F]{2}([:-][0-9a-fA-F]{2}){5}$/;

const RULES: Record<string, AnnotationRule> = {
  [POWER_DRIVER]: { kinds: ['Server'], test: (v) => (POWER_DRIVERS as readonly string[]).includes(v), expect: POWER_DRIVERS.join(', ') },
  [IPXE_BINARY]: { kinds: ['Server', 'ServerClass'], test: (v) => (IPXE_BINARIES as readonly string[]).includes(v), expect: IPXE_BINARIES.join(', ') },
  [WOL_MAC]: { kinds: ['Server'], test: (v) => MAC.test(v), expect: 'a MAC address such as aa:bb:cc:dd:ee:ff' },
  [WOL_BROADCAST]: { kinds: ['Server'], test: (v) => isIPv4(v), expect: 'an IPv4 address' },
  [IPMI_CIPHER_SUITE]: { kinds: ['Server'], test: (v) => /^\d+$/.test(v) && Number(v) <= 17, expect: 'a number from 0 to 17' },
  [BMC_CERT_SHA256]: { kinds: ['Server'], test: (v) => /^[0-9a-fA-F]{64}$/.test(v.replaceAll(':', '')), expect: '64 hexadecimal digits' },
  [BMC_INSECURE]: { kinds: ['Server'], test: (v) => v === 'true' || v === 'false', expect: '"true" or "false"' },
  [REDFISH_SYSTEM]: { kinds: ['Server'], test: (v) => /^[^\s]+$/.test(v), expect: 'a system id or a /redfish/v1/Systems/… path' },
  [QEMU_QMP]: { kinds: ['Server'], test: (v) => v.startsWith('unix:') || /^[^:]+:\d+$/.test(v), expect: 'unix:/path/to/socket or host:port' },
  [ARCH]: { kinds: ['Environment'], test: (v) => (ARCHES as readonly string[]).includes(v), expect: ARCHES.join(', ') },
  [TALOS_VERSION]: { kinds: ['Environment'], test: (v) => /^v\d+\.\d+\.\d+/.test(v), expect: 'a Talos release such as v1.13.9' },
  [BOOT_TOKEN]: {
    kinds: ['Server'],
    test: (v) => /^sha256=[0-9a-f]{64};expires=[^;]+;peer=[^;]+$/.test(v),
    expect: 'sha256=<hex>;expires=<time>;peer=<address>, as Metalbox writes it (leave it out to keep the stored one)',
  },
  [BOOT_FACTS]: { kinds: ['Server'], test: isJsonObject, expect: 'a JSON object, as Metalbox writes it' },
  [BUILT_IN]: { kinds: [], test: () => true, expect: '' },
};

export interface AnnotationProblem {
  key: string;
  message: string;
  /** Errors refuse the object; warnings (unknown key, wrong kind) only tell. */
  severity: 'error' | 'warning';
}

/** Check the `metalbox.dev/` annotations of an object of `kind`; other annotations are not Metalbox's business. */
export function checkAnnotations(kind: string, annotations: Record<string, string> | undefined): AnnotationProblem[] {
  const out: AnnotationProblem[] = [];
  for (const [key, value] of Object.entries(annotations ?? {})) {
    if (!key.startsWith(PREFIX)) continue;
    const rule = RULES[key];
    if (!rule) {
      out.push({ key, severity: 'warning', message: `unknown Metalbox annotation; known: ${Object.keys(RULES).join(', ')}` });
    } else if (rule.kinds.length && !rule.kinds.includes(kind)) {
      out.push({ key, severity: 'warning', message: `has no effect on a ${kind} (used on ${rule.kinds.join(', ')})` });
    } else if (!rule.test(value)) {
      out.push({ key, severity: 'error', message: `invalid value ${JSON.stringify(value)}: expected ${rule.expect}` });
    }
  }
  return out;
}
