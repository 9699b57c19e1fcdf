/**
 * The kernel command line of a network-booted Talos: the Environment's args, plus what Metalbox adds
 * (each only when the Environment does not already set that key, as Sidero does):
 * - `talos.platform=metal`;
 * - `initrd=initramfs.xz` (UEFI iPXE hands the initrd to the kernel's EFI stub under this name);
 * - `talos.config=<configdata URL with the boot token>` (install only);
 * - `talos.experimental.wipe=system` (wipe only): Talos resets its system disk and reboots at once, so a
 *   released machine does not sit in maintenance mode (where anyone on the network could hand it a config)
 *   and comes back to the network boot, which is how Metalbox learns it is clean. An install environment
 *   that sets this key is refused: Talos would wipe and reboot at every boot and never install;
 * - `talos.events.sink=` and `talos.logging.kernel=` pointed at Metalbox, for its event and log receivers.
 * Args reach an iPXE script, so anything iPXE would interpret (line breaks, `${`) or split (whitespace)
 * is refused with the reason.
 */
import { MetalboxError } from '../util/errors.js';

/**
 * Sidero's ports for the Talos event sink (gRPC) and the kernel log receiver (TCP JSON lines): the defaults
 * of the settings `talos.eventsPort` and `talos.kernelLogPort`, which are what the install scripts give.
 */
export const TALOS_EVENTS_PORT = 4002;
export const TALOS_KERNEL_LOG_PORT = 4001;

export interface KernelArgsInput {
  /** Environment.spec.kernel.args. */
  environmentArgs: readonly string[];
  /** The full configdata URL (install); omitted for wipe. */
  configUrl?: string | undefined;
  /** host:port of the Talos event sink. */
  eventsSink?: string | undefined;
  /** tcp://host:port of the kernel log receiver. */
  kernelLog?: string | undefined;
  /** The wipe of a released server (adds `talos.experimental.wipe=system`). */
  wipe?: boolean | undefined;
}

/** Talos's kernel parameter that resets disks at boot (since Talos 1.0); `system` also reboots after. */
export const TALOS_WIPE_ARG = 'talos.experimental.wipe';

function keyOf(arg: string): string {
  const eq = arg.indexOf('=');
  return eq < 0 ? arg : arg.slice(0, eq);
}

/** Why an arg cannot go into an iPXE `kernel` line, or undefined when it can. */
export function unsafeArgReason(arg: string): string | undefined {
  if (arg === '') return 'is empty';
  if (/[\s]/.test(arg)) return 'contains whitespace or a line break';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(arg)) return 'contains a control character';
  if (arg.includes('${')) return 'contains "${", which iPXE would expand';
  if (arg.startsWith('#') || arg === '||' || arg === '&&' || arg === ';') return 'is something iPXE reads as a comment or an operator';
  return undefined;
}

export function kernelArgs(i: KernelArgsInput): string[] {
  const args = [...i.environmentArgs];
  args.forEach((a, n) => {
    const why = unsafeArgReason(a);
    if (why) {
      throw new MetalboxError('KERNEL_ARG_INVALID', `kernel arg ${n + 1} (${JSON.stringify(a.slice(0, 40))}) ${why}`, {
        hint: 'fix spec.kernel.args of the Environment: one argument per list item, no spaces',
      });
    }
  });
  const keys = new Set(args.map(keyOf));
  if (!i.wipe && keys.has(TALOS_WIPE_ARG)) {
    throw new MetalboxError('KERNEL_ARG_INVALID', `${TALOS_WIPE_ARG} in the kernel args would make Talos wipe its disk and reboot at every boot, so it could never install`, {
      hint: `remove ${TALOS_WIPE_ARG} from spec.kernel.args of the Environment; Metalbox adds it itself when it wipes a released server`,
    });
  }
  const add = (key: string, value: string | undefined) => {
    if (value === undefined || keys.has(key)) return;
    args.push(`${key}=${value}`);
    keys.add(key);
  };
  add('talos.platform', 'metal');
  add('initrd', 'initramfs.xz');
  add('talos.config', i.configUrl);
  add('talos.events.sink', i.eventsSink);
  add('talos.logging.kernel', i.kernelLog);
  if (i.wipe) add(TALOS_WIPE_ARG, 'system');
  return args;
}

/** The URL Talos fetches its config from: the real UUID and token (Talos substitutes only what is present). */
export function configDataUrl(base: string, server: string, token: string): string {
  return `${base}/configdata?uuid=${encodeURIComponent(server)}&t=${encodeURIComponent(token)}`;
}
