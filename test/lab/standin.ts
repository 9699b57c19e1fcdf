/**
 * The Talos stand-in of DESIGN.md section 11: the Debian kernel that test/lab/prepare.sh unpacked into
 * test/lab/cache/kernel, and a busybox-static initramfs built here (newc cpio, gzip) that loads the NIC
 * drivers, runs udhcpc, reads `talos.config=` from /proc/cmdline, fetches it with wget and prints it on
 * the serial console between markers:
 *
 *   METALBOX-CONFIG-URL <url>
 *   METALBOX-CONFIG-BEGIN
 *   <config>
 *   METALBOX-CONFIG-END          (or METALBOX-CONFIG-FAILED)
 *
 * It then sleeps, so the VM can be reset for the next boot.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

export const LAB_CACHE = resolve(import.meta.dirname, 'cache');
const KERNEL_ROOT = join(LAB_CACHE, 'kernel');

/** The stand-in kernel, or undefined when prepare.sh has not run. */
export function standInKernel(): string | undefined {
  const boot = join(KERNEL_ROOT, 'boot');
  if (!existsSync(boot)) return undefined;
  const v = readdirSync(boot).find((f) => f.startsWith('vmlinuz-'));
  return v ? join(boot, v) : undefined;
}

/** Why the stand-in cannot be built here, or undefined. */
export function standInMissing(): string | undefined {
  if (!standInKernel()) return 'needs the stand-in Debian kernel: run `bash test/lab/prepare.sh` first';
  if (!existsSync('/bin/busybox')) return 'needs busybox-static (/bin/busybox)';
  return undefined;
}

function moduleIndex(): Map<string, string> {
  const lib = join(KERNEL_ROOT, 'lib', 'modules');
  const release = readdirSync(lib)[0]!;
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.ko')) out.set(e.name.slice(0, -3).replaceAll('-', '_'), join(d, e.name));
    }
  };
  walk(join(lib, release, 'kernel'));
  return out;
}

/** Modules in load order: each after what its `.modinfo` says it depends on. */
export function moduleLoadOrder(wanted: readonly string[]): { name: string; path: string }[] {
  const index = moduleIndex();
  const order: { name: string; path: string }[] = [];
  const visit = (name: string) => {
    if (order.some((m) => m.name === name)) return;
    const path = index.get(name);
    if (!path) throw new Error(`module ${name} not found in ${KERNEL_ROOT}`);
    const deps = /depends=([^\0]*)\0/.exec(readFileSync(path, 'latin1'))?.[1] ?? '';
    for (const d of deps.split(',').filter(Boolean)) visit(d.replaceAll('-', '_'));
    order.push({ name, path });
  };
  wanted.forEach(visit);
  return order;
}

const INIT = `#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sys /sys
/bin/busybox mount -t devtmpfs dev /dev
/bin/busybox --install -s /bin
export PATH=/bin
echo 1 > /proc/sys/kernel/printk
echo "metalbox-standin: up"
for m in $(cat /modules.order); do insmod /lib/modules/$m.ko; done
sleep 2
ip link set eth0 up
udhcpc -i eth0 -n -q -t 20 -T 2 -s /udhcpc.script || echo "metalbox-standin: no DHCP answer"
url=$(tr ' ' '\\n' < /proc/cmdline | sed -n 's/^talos.config=//p')
echo "METALBOX-CONFIG-URL $url"
if wget -q -O /tmp/config "$url"; then
  echo "METALBOX-CONFIG-BEGIN"
  cat /tmp/config
  echo "METALBOX-CONFIG-END"
else
  echo "METALBOX-CONFIG-FAILED"
fi
while true; do sleep 3600; done
`;

const UDHCPC_SCRIPT = `#!/bin/sh
case "$1" in
  bound|renew) ifconfig "$interface" "$ip" netmask "\${subnet:-255.255.255.0}" up ;;
esac
`;

interface Entry {
  name: string;
  mode: number;
  data?: Buffer;
  rdev?: [number, number];
}

function cpioNewc(entries: readonly Entry[]): Buffer {
  const parts: Buffer[] = [];
  const pad = (n: number) => Buffer.alloc((4 - (n % 4)) % 4);
  const hex = (n: number) => n.toString(16).padStart(8, '0');
  const add = (e: Entry, ino: number) => {
    const name = Buffer.from(`${e.name}\0`);
    const size = e.data?.length ?? 0;
    const fields = [ino, e.mode, 0, 0, 1, 0, size, 0, 0, e.rdev?.[0] ?? 0, e.rdev?.[1] ?? 0, name.length, 0];
    const header = Buffer.from(`070701${fields.map(hex).join('')}`);
    parts.push(header, name, pad(header.length + name.length));
    if (e.data) parts.push(e.data, pad(size));
  };
  entries.forEach((e, i) => add(e, i + 1));
  add({ name: 'TRAILER!!!', mode: 0 }, 0);
  return Buffer.concat(parts);
}

const DIR = 0o040755;
const FILE = 0o100644;
const EXEC = 0o100755;

/** Build the initramfs at `path` with these NIC drivers (default e1000 and virtio-net). */
export async function buildStandInInitramfs(path: string, modules: readonly string[] = ['e1000', 'virtio_pci', 'virtio_net']): Promise<void> {
  const mods = moduleLoadOrder(modules);
  const entries: Entry[] = [
    ...['bin', 'dev', 'proc', 'sys', 'tmp', 'lib', 'lib/modules'].map((name) => ({ name, mode: DIR })),
    { name: 'dev/console', mode: 0o020600, rdev: [5, 1] },
    { name: 'bin/busybox', mode: EXEC, data: readFileSync('/bin/busybox') },
    { name: 'init', mode: EXEC, data: Buffer.from(INIT) },
    { name: 'udhcpc.script', mode: EXEC, data: Buffer.from(UDHCPC_SCRIPT) },
    { name: 'modules.order', mode: FILE, data: Buffer.from(`${mods.map((m) => m.name).join('\n')}\n`) },
    ...mods.map((m) => ({ name: `lib/modules/${m.name}.ko`, mode: FILE, data: readFileSync(m.path) })),
  ];
  await writeFile(path, gzipSync(cpioNewc(entries), { level: 6 }));
}

/** The config the stand-in printed on a serial log, CRLF undone; undefined until it did. */
export function printedConfig(serial: string): { url: string; config?: string; failed: boolean } | undefined {
  const url = /METALBOX-CONFIG-URL (\S*)/.exec(serial)?.[1];
  if (url === undefined) return undefined;
  const text = serial.replace(/\r\n/g, '\n');
  const m = /METALBOX-CONFIG-BEGIN\n([\s\S]*?)METALBOX-CONFIG-END/.exec(text);
  if (m) return { url, config: m[1]!, failed: false };
  return text.includes('METALBOX-CONFIG-FAILED') ? { url, failed: true } : undefined;
}

export function fileSize(path: string): number {
  return statSync(path).size;
}
