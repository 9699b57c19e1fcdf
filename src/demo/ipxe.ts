/**
 * The part of iPXE a simulated machine needs: it runs the scripts Metalbox serves (boot.ipxe's NIC loop,
 * park, install, boot from disk) as iPXE would, with labels and goto, `||` and `&&`, nested `${...}`
 * settings with their types (`:hexhyp`, `:uristring`, `:hex`), and the commands those scripts use. What
 * the machine does (DHCP, HTTP, sleeping) is the host's.
 */
export type Outcome =
  | { kind: 'boot'; kernel: string; args: string[]; initrds: string[] }
  | { kind: 'exit' }
  | { kind: 'sanboot' }
  | { kind: 'reboot' }
  | { kind: 'end' };

export interface IpxeHost {
  /** Settings iPXE knows without DHCP: uuid, net0/mac, buildarch, platform, manufacturer, smbios/... */
  settings: Map<string, string>;
  /** DHCP on a NIC; false when nobody answered. Sets what it learned into `settings`. */
  dhcp(nic: string): Promise<boolean>;
  /** HTTP GET; the body, or an error status. */
  fetch(url: string): Promise<{ ok: true; body: Buffer } | { ok: false; status: number }>;
  sleep(seconds: number): Promise<void>;
  log(line: string): void;
  /** Stop early (the machine was powered off). */
  aborted(): boolean;
}

const MAX_STEPS = 20_000;
const MAX_CHAINS = 64;

/** iPXE's `:uristring`: everything but RFC 3986 unreserved characters is %-escaped. */
export function uristring(v: string): string {
  return [...Buffer.from(v, 'utf8')].map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

function typed(value: string, type: string | undefined): string {
  if (!type) return value;
  if (type === 'hexhyp') return value.replaceAll(':', '-');
  if (type === 'uristring') return uristring(value);
  return value; // :hex values are stored in their hex form already; :string and ints as they are
}

/** Expand `${name}` and `${name:type}`, innermost first (`${net${i}/mac}`). Unknown settings are empty. */
export function expand(text: string, settings: Map<string, string>): string {
  let out = text;
  for (let guard = 0; guard < 100; guard++) {
    const next = out.replace(/\$\{([^${}]*)\}/, (_m, body: string) => {
      const colon = body.lastIndexOf(':');
      const [name, type] = colon > 0 ? [body.slice(0, colon), body.slice(colon + 1)] : [body, undefined];
      return typed(settings.get(name) ?? '', type);
    });
    if (next === out) return out;
    out = next;
  }
  return out;
}

/** A line split at `||` and `&&`, each part with the operator before it. */
export function splitChain(line: string): { op: '' | '||' | '&&'; cmd: string }[] {
  const parts: { op: '' | '||' | '&&'; cmd: string }[] = [];
  let op: '' | '||' | '&&' = '';
  let start = 0;
  for (let i = 0; i < line.length - 1; i++) {
    const two = line.slice(i, i + 2);
    if (two === '||' || two === '&&') {
      parts.push({ op, cmd: line.slice(start, i).trim() });
      op = two;
      start = i + 2;
      i++;
    }
  }
  parts.push({ op, cmd: line.slice(start).trim() });
  return parts;
}

export class IpxeInterpreter {
  private chains = 0;
  private steps = 0;
  private kernel: { url: string; args: string[] } | undefined;
  private initrds: string[] = [];

  constructor(private readonly host: IpxeHost) {}

  /** Fetch a script and run it (iPXE's `chain`), until it boots, exits, reboots or ends. */
  async chain(url: string): Promise<Outcome | false> {
    if (++this.chains > MAX_CHAINS) return { kind: 'reboot' };
    const r = await this.host.fetch(url);
    if (!r.ok) {
      this.host.log(`chain ${url}: HTTP ${r.status}`);
      return false;
    }
    const text = r.body.toString('utf8');
    if (!text.startsWith('#!ipxe')) {
      this.host.log(`chain ${url}: not an iPXE script`);
      return false;
    }
    return this.run(text);
  }

  async run(script: string): Promise<Outcome> {
    const lines = script.split('\n').map((l) => l.trim());
    const labels = new Map<string, number>();
    lines.forEach((l, i) => {
      if (/^:[\w-]+$/.test(l)) labels.set(l.slice(1), i);
    });
    let pc = 0;
    while (pc < lines.length) {
      if (this.host.aborted() || ++this.steps > MAX_STEPS) return { kind: 'reboot' };
      const line = lines[pc]!;
      pc++;
      if (!line || line.startsWith('#') || line.startsWith(':')) continue;
      let ok = true;
      for (const part of splitChain(line)) {
        if (!part.cmd) continue;
        if ((part.op === '||' && ok) || (part.op === '&&' && !ok)) continue;
        const r = await this.command(part.cmd);
        if (typeof r === 'object') {
          if ('goto' in r) {
            const at = labels.get(r.goto);
            if (at === undefined) {
              this.host.log(`goto ${r.goto}: no such label`);
              ok = false;
              continue;
            }
            pc = at + 1;
            ok = true;
            break;
          }
          return r;
        }
        ok = r;
      }
    }
    return { kind: 'end' };
  }

  private async command(raw: string): Promise<boolean | Outcome | { goto: string }> {
    const s = this.host.settings;
    const words = raw.split(/\s+/);
    const cmd = words[0]!;
    const args = words.slice(1).filter((w) => !w.startsWith('--'));
    const x = (w: string) => expand(w, s);
    switch (cmd) {
      case 'set': {
        const name = args[0]!.split(':')[0]!;
        s.set(name, x(args.slice(1).join(' ')));
        return true;
      }
      case 'clear':
        s.delete(args[0]!);
        return true;
      case 'isset':
        return x(args.join(' ')) !== '';
      case 'iseq':
        return x(args[0] ?? '') === x(args[1] ?? '');
      case 'inc':
        s.set(args[0]!, String(Number(s.get(args[0]!) ?? '0') + Number(args[1] ?? 1)));
        return true;
      case 'goto':
        return { goto: x(args[0] ?? '') };
      case 'echo':
        this.host.log(x(words.slice(1).join(' ')));
        return true;
      case 'prompt':
      case 'shell':
        return false;
      case 'ifclose':
      case 'ifopen':
      case 'iflinkwait':
      case 'imgfree':
      case 'clear-screen':
        return true;
      case 'dhcp':
      case 'ifconf':
        return this.host.dhcp(x(args[0] ?? 'net0'));
      case 'sleep':
        await this.host.sleep(Number(x(args[0] ?? '1')) || 1);
        return true;
      case 'chain': {
        const r = await this.chain(x(args[0] ?? ''));
        return r === false ? false : r;
      }
      case 'kernel': {
        const url = x(args[0] ?? '');
        const got = await this.host.fetch(url);
        if (!got.ok) return false;
        this.kernel = { url, args: words.slice(1).filter((w) => !w.startsWith('--')).slice(1).map(x) };
        return true;
      }
      case 'initrd': {
        const url = x(args[0] ?? '');
        const got = await this.host.fetch(url);
        if (!got.ok) return false;
        this.initrds.push(url);
        return true;
      }
      case 'boot':
        if (!this.kernel) return false;
        return { kind: 'boot', kernel: this.kernel.url, args: this.kernel.args, initrds: this.initrds };
      case 'exit':
        return { kind: 'exit' };
      case 'sanboot':
        return { kind: 'sanboot' };
      case 'reboot':
      case 'poweroff':
        return { kind: 'reboot' };
      default:
        this.host.log(`${cmd}: not in the demo's iPXE`);
        return false;
    }
  }
}
