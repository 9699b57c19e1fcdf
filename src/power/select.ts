/**
 * Which driver drives a Server, from the Server itself: `spec.bmc` means IPMI as in Sidero; the other
 * drivers are chosen by the annotation metalbox.dev/power-driver, with their details in the annotations
 * documented in src/api/annotations.ts. Credentials come inline or from v1 Secrets (`userFrom`/`passFrom`).
 */
import { annotations as A, type CredentialSource, type Secret, type Server } from '../api/index.js';
import type { Settings } from '../config/index.js';
import type { EventBus } from '../events/index.js';
import type { Store } from '../store/index.js';
import { configInvalid } from './errors.js';
import { IpmiDriver } from './ipmi/driver.js';
import { ManualDriver, NoDriver } from './manual.js';
import { QemuDriver } from './qemu/driver.js';
import { RedfishDriver } from './redfish/driver.js';
import type { TlsPolicy } from './redfish/tls.js';
import { DRIVER_NAMES, type DriverName, type PowerDriver } from './types.js';
import { parseMac, provisioningAddress, WolDriver, type ProvisioningAddress } from './wol.js';

export interface DriverContext {
  store: Pick<Store, 'get'>;
  settings: Settings;
  events: EventBus;
  /** The ipmitool binary (from findIpmitool); default `ipmitool` on PATH. */
  ipmitool?: string;
  /** Trust on first use pinned a Redfish BMC's certificate: record it on the Server. */
  onPinned?: (server: string, fingerprint: string) => void;
  /** The provisioning interface's address, for Wake-on-LAN; default from settings.interface/address. */
  provisioning?: () => ProvisioningAddress;
}

/** The driver a Server asks for, without building it. */
export function driverNameOf(server: Server): DriverName {
  const chosen = server.metadata.annotations?.[A.POWER_DRIVER];
  if (chosen) {
    if ((DRIVER_NAMES as readonly string[]).includes(chosen)) return chosen as DriverName;
    throw configInvalid(server.metadata.name, `unknown power driver ${JSON.stringify(chosen)}`, `set ${A.POWER_DRIVER} to one of ${DRIVER_NAMES.join(', ')}`);
  }
  return server.spec?.bmc?.endpoint ? 'ipmi' : 'none';
}

/** Build the driver for a Server; a POWER_CONFIG_INVALID error says what is missing. */
export function powerDriverFor(server: Server, ctx: DriverContext): PowerDriver {
  const name = server.metadata.name;
  const timeoutMs = ctx.settings.power.timeout * 1000;
  switch (driverNameOf(server)) {
    case 'ipmi':
      return ipmiDriver(server, ctx, timeoutMs);
    case 'redfish':
      return redfishDriver(server, ctx, timeoutMs);
    case 'wol':
      return wolDriver(server, ctx);
    case 'qemu': {
      const qmp = annotation(server, A.QEMU_QMP);
      if (!qmp) throw configInvalid(name, 'the qemu power driver needs the VM\'s QMP endpoint', `set ${A.QEMU_QMP} to unix:/path/to/qmp.sock or host:port`);
      return new QemuDriver({ qmp, timeoutMs });
    }
    case 'manual':
      return new ManualDriver(name, ctx.events, server.spec?.hostname || undefined);
    case 'none':
      return new NoDriver(name);
  }
}

function annotation(server: Server, key: string): string | undefined {
  const v = server.metadata.annotations?.[key];
  return v === undefined || v === '' ? undefined : v;
}

function bmcOf(server: Server, driver: string): NonNullable<NonNullable<Server['spec']>['bmc']> {
  const bmc = server.spec?.bmc;
  if (!bmc?.endpoint) {
    throw configInvalid(server.metadata.name, `the ${driver} power driver needs spec.bmc.endpoint`, 'set spec.bmc: {endpoint, user, pass} (or userFrom/passFrom referencing a Secret)');
  }
  return bmc;
}

function ipmiDriver(server: Server, ctx: DriverContext, timeoutMs: number): IpmiDriver {
  const bmc = bmcOf(server, 'ipmi');
  const iface = bmc.interface || 'lanplus';
  if (iface !== 'lanplus' && iface !== 'lan') {
    throw configInvalid(server.metadata.name, `spec.bmc.interface ${JSON.stringify(iface)} is not supported`, 'use lanplus (IPMI 2.0, the default) or lan (IPMI 1.5)');
  }
  const cs = annotation(server, A.IPMI_CIPHER_SUITE);
  return new IpmiDriver({
    target: {
      host: bmc.endpoint,
      port: bmc.port ?? 623,
      user: credential(ctx, server, bmc.user, bmc.userFrom, 'user'),
      password: credential(ctx, server, bmc.pass, bmc.passFrom, 'pass'),
      interface: iface,
    },
    ...(ctx.ipmitool ? { bin: ctx.ipmitool } : {}),
    timeoutMs,
    cipherSuite: cs !== undefined ? Number(cs) : ctx.settings.power.ipmiCipherSuite,
    fallbackCipherSuite: ctx.settings.power.ipmiFallbackCipherSuite,
  });
}

/** `https://host[:port]` from spec.bmc: the endpoint may be a URL; port 623 is IPMI's and means "default". */
export function redfishBaseUrl(endpoint: string, port: number | undefined): string {
  if (/^[a-z]+:\/\//i.test(endpoint)) {
    const u = new URL(endpoint);
    if (u.protocol !== 'https:') throw new Error(`${endpoint}: Redfish is spoken over HTTPS only, so the password never crosses the network in clear`);
    return u.origin;
  }
  const host = endpoint.includes(':') && !endpoint.startsWith('[') ? `[${endpoint}]` : endpoint;
  return port && port !== 623 && port !== 443 ? `https://${host}:${port}` : `https://${host}`;
}

function redfishDriver(server: Server, ctx: DriverContext, timeoutMs: number): RedfishDriver {
  const name = server.metadata.name;
  const bmc = bmcOf(server, 'redfish');
  let baseUrl: string;
  try {
    baseUrl = redfishBaseUrl(bmc.endpoint, bmc.port);
  } catch (e) {
    throw configInvalid(name, (e as Error).message, 'write spec.bmc.endpoint as a host name, an address, or an https:// URL');
  }
  const pin = annotation(server, A.BMC_CERT_SHA256);
  const tls: TlsPolicy =
    annotation(server, A.BMC_INSECURE) === 'true' ? { mode: 'insecure' } : pin ? { mode: 'pinned', fingerprint: pin } : { mode: 'trust-on-first-use' };
  const system = annotation(server, A.REDFISH_SYSTEM);
  return new RedfishDriver({
    baseUrl,
    user: credential(ctx, server, bmc.user, bmc.userFrom, 'user'),
    password: credential(ctx, server, bmc.pass, bmc.passFrom, 'pass'),
    tls,
    timeoutMs,
    ...(system ? { system } : {}),
    ...(ctx.onPinned ? { onPinned: (fp: string) => ctx.onPinned!(name, fp) } : {}),
  });
}

function wolDriver(server: Server, ctx: DriverContext): WolDriver {
  const name = server.metadata.name;
  const mac = annotation(server, A.WOL_MAC) ?? server.spec?.hardware?.network?.interfaces?.find((i) => i.mac && parseMac(i.mac))?.mac;
  if (!mac || !parseMac(mac)) {
    throw configInvalid(name, 'Wake-on-LAN needs the MAC address of the NIC to wake', `set ${A.WOL_MAC} to aa:bb:cc:dd:ee:ff (the server reports its MACs once discovered)`);
  }
  const from = ctx.provisioning ? ctx.provisioning() : provisioningAddress(ctx.settings.interface, ctx.settings.address);
  const extra = annotation(server, A.WOL_BROADCAST);
  return new WolDriver({ mac, from, ...(extra ? { extraAddress: extra } : {}) });
}

/** An inline value, or one read from a v1 Secret; never logged. */
function credential(ctx: DriverContext, server: Server, inline: string | undefined, from: CredentialSource | undefined, field: 'user' | 'pass'): string {
  if (inline) return inline;
  const ref = from?.secretKeyRef;
  if (!ref) return '';
  const where = `spec.bmc.${field}From.secretKeyRef`;
  const secret = ctx.store.get('Secret', ref.name, ref.namespace || 'default') as Secret | undefined;
  if (!secret) {
    throw configInvalid(server.metadata.name, `${where} names Secret ${ref.namespace || 'default'}/${ref.name}, which does not exist`, `create it (metalbox apply -f) with the key ${ref.key}`);
  }
  const b64 = secret.data?.[ref.key];
  if (b64 !== undefined) return Buffer.from(b64, 'base64').toString('utf8');
  const plain = secret.stringData?.[ref.key];
  if (plain !== undefined) return plain;
  throw configInvalid(
    server.metadata.name,
    `Secret ${ref.namespace || 'default'}/${ref.name} has no key ${JSON.stringify(ref.key)} (${where})`,
    `add the key ${ref.key} to the Secret, or fix the key name on the server`,
  );
}
