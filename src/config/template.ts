import { stringify } from 'yaml';
import type { SettingNode } from './schema.js';

/**
 * The commented `metalbox.yaml` written on first start: every key with its default and what it means,
 * generated from the schema so it cannot drift from what is accepted.
 */
export function settingsTemplate(root: SettingNode): string {
  const lines = [
    '# Metalbox appliance settings.',
    '# Every key is optional; these are the built-in defaults. Flags (--set key=value) and',
    '# METALBOX_* environment variables (for example METALBOX_DHCP_MODE=full) override this file.',
    '',
  ];
  render(root, 0, lines);
  return lines.join('\n') + '\n';
}

function scalar(v: unknown): string {
  return stringify(v).trimEnd();
}

function render(node: SettingNode, indent: number, out: string[]): void {
  if (node.kind !== 'object') return;
  const pad = ' '.repeat(indent);
  for (const [key, child] of Object.entries(node.fields)) {
    if (child.kind === 'object') {
      out.push(`${pad}${key}:${child.doc ? `   # ${child.doc}` : ''}`);
      render(child, indent + 2, out);
      continue;
    }
    const value = child.kind === 'list' ? `[${(child.default as unknown[]).map(scalar).join(', ')}]` : scalar(child.default);
    out.push(`${pad}${key}: ${value}   # ${child.doc}`);
  }
}
