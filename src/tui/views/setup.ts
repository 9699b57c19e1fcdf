/**
 * First start (no metalbox.yaml before): what Metalbox detected (the provisioning interface and why, the
 * DHCP mode and what it means on this network) and the choice to change it in place before saving.
 */
import type { Settings } from '../../config/index.js';
import { listIpv4Interfaces, pickProvisioningInterface, type Ipv4Interface } from '../../dhcp/index.js';
import { errorMessage } from '../../util/errors.js';
import type { Action } from '../keys.js';
import { fit, safe, truncate, wrap } from '../text.js';
import { TextPager } from './text-page.js';
import type { ConsoleContext, View } from './view.js';

type Mode = Settings['dhcp']['mode'];

const MODE_TEXT: Record<Mode, string> = {
  proxy: 'proxy: answers only machines that boot from the network; your router keeps handing out addresses. Safe on a home network.',
  full: 'full: Metalbox hands out addresses from a range; only for a network of its own (it refuses to start if another DHCP server answers).',
  off: 'off: Metalbox answers no DHCP; point your own DHCP server (dnsmasq, ISC dhcpd, the router) at it.',
};

export interface SetupChoice {
  interface: string;
  mode: Mode;
  range: string;
}

export class SetupView implements View {
  readonly crumb = 'setup';
  private readonly pager: TextPager;
  private readonly interfaces: Ipv4Interface[];
  private choice: SetupChoice;
  private width = 80;
  private saved = false;

  constructor(
    private readonly ctx: ConsoleContext,
    private readonly settings: Settings,
    list: Ipv4Interface[] = listIpv4Interfaces(),
  ) {
    this.interfaces = list;
    this.choice = { interface: settings.interface, mode: settings.dhcp.mode, range: settings.dhcp.range };
    this.pager = new TextPager({ tagged: true, lines: () => this.lines() });
  }

  title(): string {
    return ` ${this.ctx.theme.bold('first start')} ${this.ctx.theme.fg('dim', 'how Metalbox reaches your machines')} `;
  }

  actions(): Action[] {
    const ctx = this.ctx;
    return [
      { key: 'i', label: 'interface', help: 'choose the provisioning interface', run: () => this.pickInterface() },
      { key: 'm', label: 'DHCP mode', help: 'proxy, full or off', run: () => this.pickMode() },
      {
        key: 'r',
        label: 'range',
        help: 'the address range full mode hands out',
        disabled: () => (this.choice.mode === 'full' ? undefined : 'only full mode hands out addresses'),
        run: () => this.pickRange(),
      },
      { key: 'enter', label: 'save', help: 'write these choices to metalbox.yaml', run: () => this.save() },
      { key: 'escape', label: 'later', help: 'keep the detected settings for now (this page is :setup)', run: () => ctx.pop() },
      ...this.pager.actions(ctx),
    ];
  }

  sync(): void {}

  draw(area: { width: number; height: number }): string[] {
    this.width = area.width;
    return this.pager.draw(area);
  }

  private detected(): { chosen?: Ipv4Interface; why: string } {
    try {
      const c = pickProvisioningInterface(this.interfaces, { interface: this.choice.interface, address: this.choice.interface ? '' : this.settings.address, mode: this.choice.mode });
      return { chosen: c.chosen, why: c.why };
    } catch (e) {
      return { why: errorMessage(e) };
    }
  }

  private lines(): string[] {
    const t = this.ctx.theme;
    const w = this.width;
    const kv = (k: string, v: string) => ` ${t.fg('dim', fit(k, 14))} ${v}`;
    const d = this.detected();
    const dhcp = this.ctx.ops.services.status?.().services.find((s) => s.name === 'dhcp' || s.name === 'dhcp-proxy');
    const out = [
      ...wrap('Welcome. This is what Metalbox detected; change anything before it serves boots.', w - 2).map((l) => ` ${t.bold(t.fg('title', safe(l)))}`),
      '',
      kv('Interface', d.chosen ? `${t.bold(safe(d.chosen.interface))} ${safe(`${d.chosen.address}/${d.chosen.prefix}`)} ${t.fg('dim', safe(truncate(`(${d.why})`, w - 40)))}` : t.fg('err', safe(truncate(d.why, w - 18)))),
    ];
    const others = this.interfaces.filter((i) => i.interface !== d.chosen?.interface);
    if (others.length) out.push(kv('Others', safe(truncate(others.map((i) => `${i.interface} ${i.address}/${i.prefix}${i.virtual ? ' (virtual)' : ''}${i.defaultRoute ? ' (default route)' : ''}`).join(', '), w - 18))));
    out.push(kv('DHCP mode', t.bold(this.choice.mode)));
    for (const l of wrap(MODE_TEXT[this.choice.mode], w - 18)) out.push(kv('', t.fg('dim', safe(l))));
    if (this.choice.mode === 'full') out.push(kv('Range', this.choice.range ? safe(this.choice.range) : t.fg('warn', 'not set: r sets it')));
    const situation = !dhcp ? 'the DHCP service is not running yet' : dhcp.state === 'running' ? `DHCP is ${dhcp.detail ? `running: ${dhcp.detail}` : 'running'}` : `DHCP ${dhcp.state}${dhcp.detail ? `: ${dhcp.detail}` : ''}`;
    const role = dhcp?.state === 'failed' ? 'err' : 'text';
    for (const [i, l] of wrap(situation, w - 18).entries()) out.push(kv(i === 0 ? 'Now' : '', t.fg(role, safe(l))));
    const foot = this.saved ? 'saved to metalbox.yaml.' : 'enter saves these to metalbox.yaml · esc keeps the detected settings for now · :setup comes back here';
    out.push('', ...wrap(foot, w - 2).map((l) => ` ${t.fg('dim', safe(l))}`));
    return out;
  }

  private async pickInterface(): Promise<void> {
    const items = [
      { key: 'a', label: 'automatic (detect at every start)', value: '' },
      ...this.interfaces.map((i) => ({ label: `${i.interface} ${i.address}/${i.prefix}${i.virtual ? ' (virtual)' : ''}${i.defaultRoute ? ' (default route)' : ''}`, value: i.interface })),
    ];
    const pick = await this.ctx.dialogs.menu('provisioning interface', items, 'the network your machines boot on');
    if (pick !== undefined) this.choice = { ...this.choice, interface: pick };
  }

  private async pickMode(): Promise<void> {
    const items = (['proxy', 'full', 'off'] as const).map((m, i) => ({ key: String(i + 1), label: MODE_TEXT[m].split(':')[0]! + ': ' + MODE_TEXT[m].split(': ')[1]!.split(';')[0]!, value: m }));
    const pick = await this.ctx.dialogs.menu('DHCP mode', items);
    if (pick) this.choice = { ...this.choice, mode: pick };
  }

  private async pickRange(): Promise<void> {
    await this.ctx.dialogs.prompt('full mode range', {
      label: 'first-last address inside the provisioning network, e.g. 10.77.0.100-10.77.0.200',
      initial: this.choice.range,
      accept: async (text) => {
        if (!/^\d+\.\d+\.\d+\.\d+\s*-\s*\d+\.\d+\.\d+\.\d+$/.test(text.trim())) return 'write it as first-last, e.g. 10.77.0.100-10.77.0.200';
        this.choice = { ...this.choice, range: text.replace(/\s+/g, '') };
        return undefined;
      },
    });
  }

  private async save(): Promise<void> {
    const c = this.choice;
    if (c.mode === 'full' && !c.range) return this.ctx.flash.warn('full mode needs a range first (r)');
    const changes: Record<string, string> = { interface: c.interface, 'dhcp.mode': c.mode, ...(c.mode === 'full' ? { 'dhcp.range': c.range } : {}) };
    const r = await this.ctx.op<{ restart?: boolean; message?: string }>('settings.update', { changes }, (res) => res?.message ?? 'saved to metalbox.yaml; restart Metalbox to serve with these settings');
    if (r !== undefined) this.saved = true;
  }
}
