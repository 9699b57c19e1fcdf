import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { formatProblem, parseManifests, type Resource } from '../api/index.js';
import { MetalboxError } from '../util/errors.js';

/** The manifest files named by `-f`: a file, every .yaml/.yml/.json in a folder (sorted), or `-` for stdin. */
export function readManifestSources(paths: string[]): { source: string; text: string }[] {
  const out: { source: string; text: string }[] = [];
  for (const p of paths) {
    if (p === '-') {
      out.push({ source: '<stdin>', text: readFileSync(0, 'utf8') });
      continue;
    }
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new MetalboxError('FILE_NOT_FOUND', `${p}: no such file or folder`);
    }
    if (st.isDirectory()) {
      for (const f of readdirSync(p).sort()) {
        if (['.yaml', '.yml', '.json'].includes(extname(f))) out.push({ source: join(p, f), text: readFileSync(join(p, f), 'utf8') });
      }
    } else out.push({ source: p, text: readFileSync(p, 'utf8') });
  }
  return out;
}

/** Parse and validate every document of every source; refuse the whole lot if anything is wrong. */
export function loadManifests(paths: string[]): { resources: Resource[]; warnings: string[] } {
  const resources: Resource[] = [];
  const warnings: string[] = [];
  const errors: string[] = [];
  for (const { source, text } of readManifestSources(paths)) {
    const r = parseManifests(text);
    warnings.push(...r.warnings.map((w) => formatProblem(w, source)));
    if (!r.ok) errors.push(...r.errors.map((e) => formatProblem(e, source)));
    else resources.push(...r.resources.map((p) => p.object));
  }
  if (errors.length) {
    throw new MetalboxError('INVALID_MANIFEST', `nothing was applied; fix these first:\n  ${errors.join('\n  ')}`);
  }
  return { resources, warnings };
}
