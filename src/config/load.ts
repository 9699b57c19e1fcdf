import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { MetalboxError } from '../util/errors.js';
import { settingsSchema, type Settings } from './schema.js';
import { settingsTemplate } from './template.js';
import { checkNode, envName, leafPaths, nodeAt, type SettingIssue } from './validate.js';

export interface LoadSettingsOptions {
  /** The data directory; `metalbox.yaml` there is the default settings file. */
  dataDir: string;
  /** `--config FILE`: use this file instead (it must exist). */
  configFile?: string;
  /** Environment to read METALBOX_* from. */
  env?: NodeJS.ProcessEnv;
  /** `--set key=value` overrides, in order. */
  overrides?: string[];
  /** Write the commented defaults when the default settings file is absent (first start). */
  writeDefaults?: boolean;
}

export interface LoadedSettings {
  settings: Settings;
  /** The file read (or written), if any. */
  file: string | undefined;
  /** True when this start wrote the file: the console offers first-start setup. */
  firstStart: boolean;
}

export const SETTINGS_FILE = 'metalbox.yaml';

/** Read settings: defaults < file < METALBOX_* environment < --set flags. Throws SETTINGS_INVALID. */
export async function loadSettings(opts: LoadSettingsOptions): Promise<LoadedSettings> {
  const file = opts.configFile ?? join(opts.dataDir, SETTINGS_FILE);
  let firstStart = false;
  let text = '';
  if (existsSync(file)) {
    text = readFileSync(file, 'utf8');
  } else if (opts.configFile) {
    throw new MetalboxError('SETTINGS_MISSING', `settings file ${file} does not exist`, {
      hint: 'check the --config path, or leave it out to use metalbox.yaml in the data directory',
    });
  } else if (opts.writeDefaults) {
    text = settingsTemplate(settingsSchema);
    await writeFile(file, text, { mode: 0o600 });
    firstStart = true;
  }
  const settings = parseSettings(text, file, opts.env ?? process.env, opts.overrides ?? []);
  return { settings, file: text || existsSync(file) ? file : undefined, firstStart };
}

/** Validate settings text plus overrides; pure apart from reading nothing. */
export function parseSettings(text: string, fileName: string, env: NodeJS.ProcessEnv, overrides: string[]): Settings {
  const issues: SettingIssue[] = [];
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  for (const err of doc.errors) {
    const pos = lc.linePos(err.pos[0]);
    issues.push({ path: '(file)', message: err.message.split('\n')[0]!, source: `${fileName}:${pos.line}:${pos.col}` });
  }
  const raw: Record<string, unknown> = issues.length ? {} : ((doc.toJS() as Record<string, unknown> | null) ?? {});
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    issues.push({ path: '(file)', message: 'expected a mapping of settings keys', source: fileName });
  }
  const locateInFile = (path: (string | number)[]) => {
    const node = doc.getIn(path, true) as YamlNode | undefined;
    const at = node?.range?.[0] ?? keyOffset(doc.contents, path);
    if (at === undefined) return fileName;
    const pos = lc.linePos(at);
    return `${fileName}:${pos.line}:${pos.col}`;
  };
  const merged = structuredClone(raw);
  const sources = new Map<string, string>();
  for (const path of leafPaths(settingsSchema)) {
    const name = envName(path);
    const v = env[name];
    if (v !== undefined) {
      setIn(merged, path, v);
      sources.set(path.join('.'), name);
    }
  }
  for (const o of overrides) {
    const eq = o.indexOf('=');
    const key = eq < 0 ? o : o.slice(0, eq);
    if (eq < 0 || !nodeAt(settingsSchema, key.split('.'))) {
      issues.push({ path: key, message: eq < 0 ? 'expected key=value' : 'unknown settings key', source: `--set ${o}` });
      continue;
    }
    setIn(merged, key.split('.'), o.slice(eq + 1));
    sources.set(key, `--set ${key}`);
  }
  const locate = (path: (string | number)[]) => {
    const dotted = path.filter((p) => typeof p === 'string').join('.');
    return sources.get(dotted) ?? locateInFile(path);
  };
  const settings = checkNode(settingsSchema, merged, [], issues, locate) as Settings;
  if (settings.dhcp.mode === 'full' && !settings.dhcp.range) {
    issues.push({ path: 'dhcp.range', message: 'full mode needs an address range, e.g. 10.77.0.100-10.77.0.200', source: locate(['dhcp', 'mode']) });
  }
  if (issues.length) throw settingsError(issues);
  return settings;
}

function keyOffset(contents: unknown, path: (string | number)[]): number | undefined {
  let node = contents as YamlNode | null;
  let last: number | undefined;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === seg);
      if (!pair) return last;
      last = (pair.key as YamlNode).range?.[0];
      node = pair.value as YamlNode;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg] as YamlNode;
      last = node?.range?.[0] ?? last;
    } else return last;
  }
  return last;
}

function setIn(obj: Record<string, unknown>, path: string[], value: unknown): void {
  let o = obj;
  for (const seg of path.slice(0, -1)) {
    if (typeof o[seg] !== 'object' || o[seg] === null) o[seg] = {};
    o = o[seg] as Record<string, unknown>;
  }
  o[path[path.length - 1]!] = value;
}

export function settingsError(issues: SettingIssue[]): MetalboxError {
  const lines = issues.map((i) => `  ${i.source ? `${i.source}: ` : ''}${i.path}: ${i.message}`);
  return new MetalboxError('SETTINGS_INVALID', `invalid settings:\n${lines.join('\n')}`, {
    hint: 'fix the keys above; `metalbox settings` prints every key with its default',
  });
}
