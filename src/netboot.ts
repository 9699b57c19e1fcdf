import { ipxePreferenceFor } from './boot/index.js';
import type { Settings } from './config/index.js';
import { createDhcpService, listIpv4Interfaces, pickProvisioningInterface, subnetOf, type InterfaceChoice } from './dhcp/index.js';
import type { EventBus } from './events/index.js';
import type { Service, ServiceSet } from './services.js';
import type { Store } from './store/index.js';
import { createTftpService, findIpxeBinaries, type IpxeBinaries } from './tftp/index.js';
import { errorMessage, MetalboxError } from './util/errors.js';

/** The provisioning network as resolved at start: the interface and the address Metalbox advertises. */
export interface Provisioning {
  choice: InterfaceChoice | undefined;
  /** Why no interface could be chosen (DHCP then fails with this; TFTP and HTTP still run). */
  problem: string | undefined;
  address: string;
  interface: string;
}

export function resolveProvisioning(
  settings: Settings,
  list = listIpv4Interfaces(undefined, undefined, { loopback: settings.interface === 'lo' || settings.address.startsWith('127.') }),
): Provisioning {
  try {
    const choice = pickProvisioningInterface(list, { interface: settings.interface, address: settings.address, mode: settings.dhcp.mode });
    return { choice, problem: undefined, address: settings.address || choice.chosen.address, interface: choice.chosen.interface };
  } catch (e) {
    return { choice: undefined, problem: errorMessage(e), address: settings.address, interface: settings.interface };
  }
}

export interface NetbootOptions {
  settings: Settings;
  events: EventBus;
  store: Store;
  dataDir: string;
  provisioning: Provisioning;
  ipxe: IpxeBinaries;
}

/** Add DHCP (by mode) and TFTP to the appliance's services. */
export function addNetbootServices(services: ServiceSet, o: NetbootOptions): void {
  const { settings, provisioning: p } = o;
  const files = o.ipxe.files;
  const tftp = createTftpService({ settings, events: o.events, files });
  services.add({
    name: 'tftp',
    start: async () => {
      if (files.size === 0) {
        throw new MetalboxError('NO_IPXE', `no iPXE binaries found in ${o.ipxe.searched.join(', ')}`, {
          hint: 'install Debian\'s ipxe package (apt-get install ipxe) or put undionly.kpxe and ipxe.efi in assets/ipxe',
        });
      }
      await tftp.start();
    },
    stop: () => tftp.stop(),
    describe: () => `:${settings.tftp.port}, ${files.size} iPXE binaries${o.ipxe.missing.length ? ` (missing ${o.ipxe.missing.join(', ')})` : ''}`,
  });
  if (settings.dhcp.mode === 'off') {
    services.disabled('dhcp', `off: your DHCP server must point at ${p.address || 'this box'} (metalbox dhcp-config prints the lines)`);
    return;
  }
  const name = 'dhcp';
  if (!p.choice) {
    services.add(failing(name, p.problem ?? 'no provisioning interface'));
    return;
  }
  const subnet = subnetOf(p.choice.chosen.address, p.choice.chosen.prefix, p.choice.chosen.interface);
  const dhcp = createDhcpService({
    settings,
    events: o.events,
    address: p.address,
    subnet,
    dataDir: o.dataDir,
    ipxeBinaries: files.keys(),
    bootPreference: (mac) => ipxePreferenceFor(o.store, mac),
  });
  services.add({
    name,
    start: () => dhcp.start(),
    stop: () => dhcp.stop(),
    describe: () => `${settings.dhcp.mode} on ${p.interface} (${p.address}/${subnet.prefix}; ${p.choice!.why})`,
  });
}

/** A service that cannot start, with the reason shown in the console and the event log. */
function failing(name: Service['name'], reason: string): Service {
  return {
    name,
    start: async () => {
      throw new MetalboxError('SERVICE_UNAVAILABLE', reason);
    },
    stop: async () => undefined,
  };
}

export { findIpxeBinaries };
