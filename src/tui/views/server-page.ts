/**
 * One server's page, in tabs (lazydocker's per-item main tabs): overview with hardware, power and BMC;
 * the boot timeline; the live kernel log; the rendered Talos config with its patches; the YAML.
 */
import { redact, resourceToYaml, type Server } from '../../api/index.js';
import type { EventRecord } from '../../events/index.js';
import { errorMessage, isMetalboxError } from '../../util/errors.js';
import type { Action } from '../keys.js';
import { serverMacs } from '../render/servers.js';
import { safe } from '../text.js';
import { hideSecrets } from './secrets.js';
import { serverActions } from './server-actions.js';
import { kernelLogLines, overviewLines, timelineLines } from './server-sections.js';
import { TextPager } from './text-page.js';
import type { Area, ConsoleContext, View } from './view.js';

const TABS = ['overview', 'timeline', 'log', 'config', 'yaml'] as const;
type Tab = (typeof TABS)[number];

interface Rendered {
  yaml: string;
  patches?: string[];
  errors?: string[];
}

export class ServerPage implements View {
  readonly crumb: string;
  private tab: Tab = 'overview';
  private width = 80;
  private readonly pagers: Record<Tab, TextPager>;
  private config: { text?: string; errors: string[]; loading: boolean; revealed: boolean } = { errors: [], loading: false, revealed: false };
  private readonly unlisten: () => void;

  constructor(
    private readonly ctx: ConsoleContext,
    readonly name: string,
  ) {
    this.crumb = `server ${name.length > 13 ? `${name.slice(0, 12)}…` : name}`;
    this.pagers = {
      overview: new TextPager({ tagged: true, lines: () => (this.server ? overviewLines(ctx, this.server, this.width) : [this.gone()]) }),
      timeline: new TextPager({ tagged: true, lines: () => timelineLines(ctx, this.records(), this.width) }),
      log: new TextPager({ lines: () => this.logLines() }),
      config: new TextPager({ tagged: true, lines: () => this.configLines() }),
      yaml: new TextPager({ lines: () => (this.server ? resourceToYaml(redact(this.server)).split('\n') : ['(deleted)']) }),
    };
    this.pagers.log.follow = true;
    this.pagers.timeline.follow = true;
    // Anything about this server (or its MACs) redraws the page.
    this.unlisten = ctx.events.subscribe((r) => {
      if (this.concerns(r)) ctx.invalidate();
    });
  }

  get server(): Server | undefined {
    return this.ctx.store.get<Server>('Server', this.name);
  }

  title(): string {
    const t = this.ctx.theme;
    const pos = this.pagers[this.tab].position();
    return ` ${t.bold(safe(this.crumb))} ${t.fg('dim', this.tab)}${pos ? ` ${t.fg('dim', pos)}` : ''} `;
  }

  actions(): Action[] {
    const ctx = this.ctx;
    const tabKeys: Action[] = TABS.map((tab, i) => ({
      key: String(i + 1),
      label: tab,
      section: 'general' as const,
      run: () => this.show(tab),
    }));
    return [
      ...serverActions(ctx, () => (this.server ? [this.server] : [])),
      { key: 'tab', label: 'next tab', section: 'general', run: () => this.show(TABS[(TABS.indexOf(this.tab) + 1) % TABS.length]!) },
      { key: 'S-tab', label: 'previous tab', section: 'general', run: () => this.show(TABS[(TABS.indexOf(this.tab) + TABS.length - 1) % TABS.length]!) },
      ...tabKeys,
      { key: 'r', label: 'render config again', section: 'general', run: () => this.loadConfig() },
      {
        key: 'x',
        label: 'show secrets',
        help: 'show the keys and tokens in the rendered config (asks first)',
        section: 'general',
        disabled: () => (this.tab !== 'config' ? 'only on the config tab (4)' : this.config.revealed ? 'already shown' : undefined),
        run: async () => {
          if (await ctx.dialogs.confirm('show secrets', ['Show the private keys and tokens in this config on screen?'], true)) this.config.revealed = true;
        },
      },
      ...this.pagers[this.tab].actions(ctx),
    ];
  }

  sync(): void {}

  draw(area: Area): string[] {
    this.width = area.width;
    const t = this.ctx.theme;
    const bar = TABS.map((tab, i) => (tab === this.tab ? t.bar('selBg', ` ${i + 1} ${tab} `, 'selFg') : t.fg('dim', ` ${i + 1} ${tab} `))).join(' ');
    return [` ${bar}`, ...this.pagers[this.tab].draw({ width: area.width, height: area.height - 1 })];
  }

  animating(): boolean {
    return false;
  }

  dispose(): void {
    this.unlisten();
  }

  private show(tab: Tab): void {
    this.tab = tab;
    if (tab === 'config' && this.config.text === undefined && !this.config.loading) void this.loadConfig();
    this.ctx.invalidate();
  }

  /** Its own events, its MACs' (DHCP), and those from the addresses it was seen at (TFTP knows only those). */
  private records(): EventRecord[] {
    const s = this.server;
    const own = this.ctx.events.timeline(this.name, s ? serverMacs(s) : this.ctx.progress.macsOf(this.name));
    const peers = this.ctx.progress.peersOf(this.name);
    if (!peers.size) return own;
    const seen = new Set(own.map((r) => r.seq));
    const more = this.ctx.events.recent(2000).filter((r) => {
      const e = r.event as { peer?: string; server?: string; mac?: string };
      return !seen.has(r.seq) && !e.server && !e.mac && e.peer !== undefined && peers.has(e.peer);
    });
    return more.length ? [...own, ...more].sort((a, b) => a.seq - b.seq) : own;
  }

  private concerns(r: EventRecord): boolean {
    const e = r.event as { server?: string; mac?: string; peer?: string };
    if (e.server === this.name) return true;
    if (e.peer && !e.server && this.ctx.progress.peersOf(this.name).has(e.peer)) return true;
    if (!e.mac) return false;
    const s = this.server;
    return !!s && serverMacs(s).includes(e.mac.toLowerCase());
  }

  private logLines(): string[] {
    const lines = kernelLogLines(this.records());
    return lines.length ? lines : ['no kernel log yet: Talos streams it here once it boots with this appliance as its log sink'];
  }

  private async loadConfig(): Promise<void> {
    this.config = { ...this.config, loading: true, errors: [] };
    this.ctx.invalidate();
    try {
      const r = await this.ctx.call<Rendered>('servers.renderConfig', { name: this.name });
      this.config = { text: r.yaml ?? '', errors: r.errors ?? [], loading: false, revealed: this.config.revealed };
      if (r.patches?.length) this.config.errors.unshift(...r.patches.map((p) => `patches from ${p}`));
    } catch (e) {
      const why = isMetalboxError(e, 'OP_UNKNOWN') ? 'this Metalbox cannot render configs yet (no servers.renderConfig operation)' : errorMessage(e);
      this.config = { errors: [why], loading: false, revealed: false, text: '' };
    }
    this.ctx.invalidate();
  }

  private configLines(): string[] {
    const t = this.ctx.theme;
    if (this.config.loading) return [` ${t.fg('dim', 'rendering…')}`];
    if (this.config.text === undefined) return [` ${t.fg('dim', 'press r to render the config')}`];
    const notes = this.config.errors.map((e) => ` ${e.startsWith('patches from ') ? t.fg('dim', safe(e)) : t.fg('err', safe(e))}`);
    const text = this.config.revealed ? this.config.text : hideSecrets(this.config.text);
    const body = text ? text.replace(/\n$/, '').split('\n').map((l) => ` ${safe(l)}`) : [];
    const hidden = !this.config.revealed && text !== this.config.text ? [` ${t.fg('dim', 'keys and tokens are hidden: x shows them')}`] : [];
    return [...notes, ...hidden, ...(notes.length || hidden.length ? [''] : []), ...body];
  }

  private gone(): string {
    return ` ${this.ctx.theme.fg('warn', 'this server was deleted')}`;
  }
}
