/** Shared pieces of the QEMU end-to-end tests: the stand-in assets, Metalbox in a namespace, event waits. */
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Host, Lab } from '../../lab/lab.js';
import { startNode, type ChildMessage, type NodeChild } from '../../lab/node.js';
import { run } from '../../lab/sh.js';
import { buildStandInInitramfs, standInKernel, standInMissing } from '../../lab/standin.js';
import { missing } from '../../support/needs.js';
import type { MetalboxHostConfig } from './metalbox-host.js';

/** Why these tests cannot run here (said in the suite name), or undefined. */
export function e2eMissing(): string | undefined {
  return missing('root', 'netns', 'bin:qemu-system-x86_64', 'bin:curl') ?? standInMissing();
}

/** The stand-in kernel and initramfs in a folder, under the names a Talos release uses. */
export async function standInAssets(lab: Lab): Promise<string> {
  const dir = join(lab.dir, 'standin');
  await mkdir(dir, { recursive: true });
  await copyFile(standInKernel()!, join(dir, 'vmlinuz-amd64'));
  await buildStandInInitramfs(join(dir, 'initramfs-amd64.xz'));
  return dir;
}

export async function startMetalbox(lab: Lab, box: Host, c: Omit<MetalboxHostConfig, 'dataDir' | 'assets'>): Promise<NodeChild> {
  const dataDir = join(lab.dir, `data-${box.label}`);
  await mkdir(dataDir, { recursive: true });
  const assets = await standInAssets(lab);
  return startNode(lab, box, 'test/e2e/support/metalbox-host.ts', { ...c, dataDir, assets } satisfies MetalboxHostConfig, 60_000);
}

export type Event = Record<string, unknown> & { type: string };

/** The first event (already seen or coming) that matches. */
export async function waitEvent(host: NodeChild, match: (e: Event) => boolean, timeoutMs: number, what: string): Promise<Event> {
  const m = await host.waitFor((msg: ChildMessage) => msg.type === 'event' && match(msg['event'] as Event), timeoutMs, what);
  return m['event'] as Event;
}

/** Events seen so far. */
export function eventsSeen(host: NodeChild): Event[] {
  return host.messages.filter((m) => m.type === 'event').map((m) => m['event'] as Event);
}

/** Fetch a URL with curl from another machine of the lab; resolves with the HTTP status. */
export async function curlStatus(from: Host, url: string): Promise<number> {
  const r = await run('ip', ['netns', 'exec', from.ns, 'curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '10', url]);
  return Number(r.stdout.trim());
}
