/**
 * Built-in resources shipped in `profiles/` (ServerClass `any`, Environments per Talos version and
 * architecture, `default` and `default-arm64`). This only reads and validates them; creating the absent ones
 * at start, without overwriting what a user changed, is the store's side.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MetalboxError } from '../util/errors.js';
import { formatProblem, parseManifests } from './manifests.js';
import type { Resource } from './meta.js';

/** The installation root: the nearest directory above this module holding Metalbox's package.json. */
export function installRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && isMetalboxPackage(pkg)) return dir;
    const up = dirname(dir);
    if (up === dir) throw new MetalboxError('INSTALL_ROOT', `cannot find Metalbox's package.json above ${from}`, { hint: 'reinstall Metalbox (npm ci) or run it from its checkout' });
    dir = up;
  }
}

function isMetalboxPackage(path: string): boolean {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown }).name === 'metalbox';
  } catch {
    return false;
  }
}

export function profilesDir(): string {
  return join(installRoot(), 'profiles');
}

/** Every resource in `profiles/*.yaml`, validated, files in name order. A broken built-in file is a bug: it throws. */
export function loadProfiles(dir: string = profilesDir()): Resource[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort();
  const out: Resource[] = [];
  for (const f of files) {
    const res = parseManifests(readFileSync(join(dir, f), 'utf8'));
    if (!res.ok) {
      const detail = res.errors.map((p) => formatProblem(p, f)).join('\n');
      throw new MetalboxError('PROFILE_INVALID', `built-in profile ${f} is invalid:\n${detail}`, { hint: 'reinstall Metalbox; the profiles folder was changed' });
    }
    out.push(...res.resources.map((r) => r.object));
  }
  return out;
}
