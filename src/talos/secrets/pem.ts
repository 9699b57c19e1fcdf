/** PEM blocks as Go's encoding/pem writes them, and the base64-of-PEM form Talos configs carry. */
import { MetalboxError } from '../../util/errors.js';

export function pemEncode(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export interface PemBlock {
  label: string;
  der: Buffer;
}

export function pemDecode(text: string, what: string): PemBlock {
  const m = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([A-Za-z0-9+/=\r\n]+?)-----END \1-----/.exec(text);
  if (!m) {
    throw new MetalboxError('TALOS_SECRETS_INVALID', `${what} is not a PEM block`, {
      hint: 'the value must be base64 of a PEM certificate or key, as talosctl writes it',
    });
  }
  return { label: m[1]!, der: Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64') };
}

/** base64 (standard alphabet) of a PEM text. */
export function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

export function unb64(value: string, what: string): string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) {
    throw new MetalboxError('TALOS_SECRETS_INVALID', `${what} is not valid base64`);
  }
  return Buffer.from(value, 'base64').toString('utf8');
}
