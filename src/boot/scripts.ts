/**
 * iPXE scripts, rendered from the templates in `assets/ipxe/` (`{{name}}` placeholders). Values are made
 * safe for an iPXE line first: no line breaks, no `${` (iPXE would expand it), no word starting with `#`
 * (iPXE would read a comment).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { installRoot } from '../api/index.js';
import { MetalboxError } from '../util/errors.js';

export const TEMPLATE_NAMES = ['boot', 'park', 'install', 'disk-exit', 'disk-sanboot'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];
export type Templates = Readonly<Record<TemplateName, string>>;

export function templatesDir(): string {
  return join(installRoot(), 'assets', 'ipxe');
}

/** Read every template once (at service start); a missing one is an installation problem. */
export function loadTemplates(dir: string = templatesDir()): Templates {
  const out: Partial<Record<TemplateName, string>> = {};
  for (const name of TEMPLATE_NAMES) {
    try {
      out[name] = readFileSync(join(dir, `${name}.ipxe`), 'utf8');
    } catch (e) {
      throw new MetalboxError('IPXE_TEMPLATE_MISSING', `iPXE template ${name}.ipxe cannot be read in ${dir}`, {
        hint: 'reinstall Metalbox; the assets/ipxe folder is part of it',
        cause: e,
      });
    }
  }
  return out as Templates;
}

/** Text that is safe inside one iPXE script line (echo text, names). */
export function scriptText(v: string): string {
  return (
    v
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f]+/g, ' ')
      .replaceAll('${', '$ {')
      .replace(/(^|\s)#/g, '$1 #')
      .replace(/(^|\s)(\|\||&&|;)(?=\s|$)/g, '$1,')
  );
}

/** Replace every `{{name}}`; a placeholder without a value is a template bug and throws. */
export function render(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{\{([a-zA-Z]+)\}\}/g, (_m, key: string) => {
    const v = values[key];
    if (v === undefined) throw new MetalboxError('IPXE_TEMPLATE_VALUE', `iPXE template placeholder {{${key}}} has no value`);
    return String(v);
  });
}

export interface Urls {
  /** `http://<address>:<port>`, as the machine reached Metalbox. */
  base: string;
}

const ipxeUrl = (u: Urls) => `${u.base}/ipxe`;
const bootUrl = (u: Urls) => `${u.base}/boot.ipxe`;

/** `/boot.ipxe`: the NIC loop (rounds over all NICs, then reboot). */
export function bootScript(t: Templates, u: Urls, rounds: number): string {
  return render(t.boot, { ipxeUrl: ipxeUrl(u), rounds });
}

/** Park: wait `seconds`, then ask `/ipxe` again with the same facts (`factsQuery`). */
export function parkScript(t: Templates, u: Urls, p: { server: string; reason: string; seconds: number; facts: string }): string {
  return render(t.park, {
    ipxeUrl: ipxeUrl(u),
    bootUrl: bootUrl(u),
    server: scriptText(p.server),
    reason: scriptText(p.reason),
    seconds: Math.max(1, Math.round(p.seconds)),
    facts: p.facts,
  });
}

export interface InstallParams {
  server: string;
  action: 'install' | 'wipe';
  environment: string;
  /** Checked by kernelArgs. */
  args: readonly string[];
  hasInitrd: boolean;
}

export function installScript(t: Templates, u: Urls, p: InstallParams): string {
  const env = encodeURIComponent(p.environment);
  return render(t.install, {
    baseUrl: u.base,
    bootUrl: bootUrl(u),
    server: scriptText(p.server),
    action: p.action,
    environment: env,
    args: p.args.join(' '),
    initrd: p.hasInitrd ? `initrd ${u.base}/env/${env}/initramfs.xz || goto failed` : '# no initrd in this environment',
  });
}

/** Boot from disk by `ipxe-exit` or `ipxe-sanboot` (`http-404` has no script: the HTTP layer answers 404). */
export function diskScript(t: Templates, method: 'ipxe-exit' | 'ipxe-sanboot', p: { server: string; reason: string }): string {
  return render(method === 'ipxe-exit' ? t['disk-exit'] : t['disk-sanboot'], { server: scriptText(p.server), reason: scriptText(p.reason) });
}
