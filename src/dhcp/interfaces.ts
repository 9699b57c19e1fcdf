/**
 * The box's IPv4 interfaces and the choice of the provisioning interface, for the console and the app.
 */
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { MetalboxError } from '../util/errors.js';
import { netmaskToPrefix, subnetOf, type SubnetInfo } from './subnet.js';

export interface Ipv4Interface extends SubnetInfo {
  interface: string;
  mac: string;
  /** The default route leaves through this interface. */
  defaultRoute: boolean;
  /** A container, VM or VPN interface (docker0, veth*, virbr*, wg*, ...): never picked automatically. */
  virtual: boolean;
}

const VIRTUAL = /^(docker|veth|virbr|br-|cni|flannel|cali|vxlan|tailscale|wg|tun|tap|zt|lxc|podman|kube)/;

/**
 * Every IPv4 address of this box, with its subnet and whether it carries the default route. Loopback only
 * when asked for (the demo rack and tests name `lo` explicitly; it is never picked automatically).
 */
export function listIpv4Interfaces(
  ifaces: ReturnType<typeof networkInterfaces> = networkInterfaces(),
  defaultRouteInterfaces: ReadonlySet<string> = readDefaultRouteInterfaces(),
  opts: { loopback?: boolean } = {},
): Ipv4Interface[] {
  const out: Ipv4Interface[] = [];
  for (const [name, addrs] of Object.entries(ifaces)) {
    for (const a of addrs ?? []) {
      if (a.family !== 'IPv4' || (a.internal && !opts.loopback)) continue;
      out.push({
        ...subnetOf(a.address, netmaskToPrefix(a.netmask), name),
        interface: name,
        mac: a.mac,
        defaultRoute: defaultRouteInterfaces.has(name),
        virtual: VIRTUAL.test(name) || a.internal,
      });
    }
  }
  return out.sort((a, b) => a.interface.localeCompare(b.interface));
}

/** Interfaces that carry an IPv4 default route, from the text of /proc/net/route. */
export function parseDefaultRoutes(procNetRoute: string): Set<string> {
  const out = new Set<string>();
  for (const line of procNetRoute.split('\n').slice(1)) {
    const [iface, destination, , , , , , mask] = line.trim().split(/\s+/);
    if (iface && destination === '00000000' && mask === '00000000') out.add(iface);
  }
  return out;
}

function readDefaultRouteInterfaces(): Set<string> {
  try {
    return parseDefaultRoutes(readFileSync('/proc/net/route', 'utf8'));
  } catch {
    return new Set(); // not Linux: no default-route hint
  }
}

export interface InterfaceChoice {
  chosen: Ipv4Interface;
  /** Why this one, for the console. */
  why: string;
}

/**
 * Which interface is the provisioning network. The rule:
 * 1. `interface` set: that interface (an error if it has no IPv4 address);
 * 2. `address` set: the interface holding that address;
 * 3. proxy (and off) mode: the interface of the default route. That is the home-network case: the box
 *    sits on the LAN beside the router that already runs DHCP, which is where proxy mode belongs;
 *    without a default route, the first physical interface by name;
 * 4. full mode: an isolated network, so an interface WITHOUT the default route. Exactly one such physical
 *    interface is chosen; none or several is an error that asks for `interface` to be set, because
 *    handing out addresses on the wrong network is the one mistake this appliance must never make.
 * Container, VM and VPN interfaces (docker0, veth*, virbr*, wg*, ...) are never chosen automatically.
 */
export function pickProvisioningInterface(
  list: readonly Ipv4Interface[],
  want: { interface: string; address: string; mode: 'proxy' | 'full' | 'off' },
): InterfaceChoice {
  const names = list.map((i) => `${i.interface} ${i.address}/${i.prefix}`).join(', ') || 'none';
  if (want.interface) {
    const hit = list.find((i) => i.interface === want.interface);
    if (!hit) throw noInterface(`interface ${want.interface} has no IPv4 address (found: ${names})`);
    return { chosen: hit, why: 'set in metalbox.yaml (interface)' };
  }
  if (want.address) {
    const hit = list.find((i) => i.address === want.address);
    if (!hit) throw noInterface(`no interface holds the address ${want.address} (found: ${names})`);
    return { chosen: hit, why: `holds the configured address ${want.address}` };
  }
  const physical = list.filter((i) => !i.virtual);
  if (want.mode === 'full') {
    const isolated = physical.filter((i) => !i.defaultRoute);
    if (isolated.length === 1) return { chosen: isolated[0]!, why: 'the only interface without a default route (full mode)' };
    throw noInterface(
      isolated.length === 0
        ? `full mode needs an isolated provisioning network, but every interface carries the default route (found: ${names})`
        : `several interfaces could be the isolated provisioning network: ${isolated.map((i) => i.interface).join(', ')}`,
    );
  }
  const home = physical.find((i) => i.defaultRoute);
  if (home) return { chosen: home, why: 'carries the default route (home network, proxy mode)' };
  if (physical[0]) return { chosen: physical[0], why: 'first interface by name (no default route)' };
  throw noInterface(`no network interface with an IPv4 address (found: ${names})`);
}

function noInterface(message: string): MetalboxError {
  return new MetalboxError('NO_PROVISIONING_INTERFACE', message, {
    hint: 'set `interface:` (and optionally `address:`) in metalbox.yaml, e.g. interface: enp3s0',
  });
}
