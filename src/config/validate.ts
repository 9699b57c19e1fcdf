import { isIPv4 } from 'node:net';
import type { SettingNode } from './schema.js';

/** One problem in the settings, with the key path and what is expected. */
export interface SettingIssue {
  path: string;
  message: string;
  /** Where it came from: `metalbox.yaml:12:3`, `METALBOX_HTTP_PORT`, `--set http.port`. */
  source?: string;
}

export type Locate = (path: (string | number)[]) => string | undefined;

const DURATION_RE = /^(\d+)(ms|s|m|h|d)?$/;
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };

export function parseDuration(v: string): number | undefined {
  const m = DURATION_RE.exec(v.trim());
  if (!m) return undefined;
  return Number(m[1]) * UNIT_SECONDS[m[2] ?? 's']!;
}

export function ipv4ToInt(a: string): number {
  return a.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}

/** Parse `a.b.c.d-e.f.g.h` into its two ends; undefined if malformed or backwards. */
export function parseRange(v: string): { start: string; end: string } | undefined {
  const parts = v.split('-').map((s) => s.trim());
  if (parts.length !== 2 || !isIPv4(parts[0]!) || !isIPv4(parts[1]!)) return undefined;
  if (ipv4ToInt(parts[0]!) > ipv4ToInt(parts[1]!)) return undefined;
  return { start: parts[0]!, end: parts[1]! };
}

const pathText = (p: (string | number)[]) =>
  p.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');

/**
 * Check `value` against `node`; returns the cleaned value with defaults filled in, and appends issues.
 * Strings are coerced for scalars so the same function serves YAML, environment and flags.
 */
export function checkNode(
  node: SettingNode,
  value: unknown,
  path: (string | number)[],
  issues: SettingIssue[],
  locate: Locate,
): unknown {
  const fail = (message: string) => {
    const source = locate(path);
    issues.push({ path: pathText(path), message, ...(source ? { source } : {}) });
  };
  if (value === undefined || value === null) {
    return node.kind === 'object' ? checkNode(node, {}, path, issues, locate) : structuredCloneDefault(node);
  }
  switch (node.kind) {
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) {
        fail('expected a mapping of keys');
        return checkNode(node, {}, path, [], locate);
      }
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        if (key in node.fields) continue;
        const source = locate([...path, key]);
        issues.push({
          path: pathText([...path, key]),
          message: `unknown key; known keys here: ${Object.keys(node.fields).join(', ')}`,
          ...(source ? { source } : {}),
        });
      }
      const src = value as Record<string, unknown>;
      for (const [k, child] of Object.entries(node.fields)) out[k] = checkNode(child, src[k], [...path, k], issues, locate);
      return out;
    }
    case 'list': {
      let items: unknown[];
      if (Array.isArray(value)) items = value;
      else if (typeof value === 'string') items = value.split(',').map((s) => s.trim()).filter(Boolean);
      else {
        fail('expected a list');
        return structuredCloneDefault(node);
      }
      return items.map((it, i) => checkNode(node.of, it, [...path, i], issues, locate));
    }
    case 'string':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      fail('expected a string');
      return node.default;
    case 'int': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n)) {
        fail(`expected a whole number from ${node.min} to ${node.max}, got ${JSON.stringify(value)}`);
        return node.default;
      }
      if (n < node.min || n > node.max) {
        fail(`expected a whole number from ${node.min} to ${node.max}, got ${n}`);
        return node.default;
      }
      return n;
    }
    case 'bool': {
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && /^(true|false|yes|no|on|off|1|0)$/i.test(value)) return /^(true|yes|on|1)$/i.test(value);
      fail(`expected true or false, got ${JSON.stringify(value)}`);
      return node.default;
    }
    case 'enum':
      if (typeof value === 'string' && node.values.includes(value)) return value;
      fail(`expected one of ${node.values.join(', ')}, got ${JSON.stringify(value)}`);
      return node.default;
    case 'ipv4':
      if (typeof value === 'string' && ((node.allowEmpty && value === '') || isIPv4(value))) return value;
      fail(`expected an IPv4 address like 192.168.1.10${node.allowEmpty ? ' (or "" for automatic)' : ''}, got ${JSON.stringify(value)}`);
      return node.default;
    case 'ipv4range':
      if (typeof value === 'string' && (value === '' || parseRange(value))) return value;
      fail(`expected an address range like 10.77.0.100-10.77.0.200 (low end first), got ${JSON.stringify(value)}`);
      return node.default;
    case 'duration': {
      if (typeof value === 'number' && value >= 0) return value;
      const secs = typeof value === 'string' ? parseDuration(value) : undefined;
      if (secs === undefined) {
        fail(`expected a duration like 30, 30s, 5m or 1h, got ${JSON.stringify(value)}`);
        return node.default;
      }
      return secs;
    }
  }
}

function structuredCloneDefault(node: SettingNode): unknown {
  if (node.kind === 'object') return undefined;
  return structuredClone(node.default);
}

/** Find the schema node at a dotted path (`dhcp.mode`), for `--set` and environment variables. */
export function nodeAt(root: SettingNode, path: string[]): SettingNode | undefined {
  let n: SettingNode | undefined = root;
  for (const seg of path) {
    if (!n || n.kind !== 'object') return undefined;
    n = n.fields[seg];
  }
  return n;
}

/** Every leaf's dotted path, for environment variables and docs. */
export function leafPaths(node: SettingNode, prefix: string[] = []): string[][] {
  if (node.kind !== 'object') return [prefix];
  return Object.entries(node.fields).flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
}

/** `dhcp.proxyPort` -> `METALBOX_DHCP_PROXY_PORT`. */
export function envName(path: string[]): string {
  return 'METALBOX_' + path.map((p) => p.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('_');
}
