/**
 * Where each server is in its boot, from the event bus: the latest step (DHCP, TFTP with progress, iPXE,
 * kernel, initrd, config fetched, installing, installed) and when. DHCP and TFTP know only a MAC, so MACs
 * are mapped to servers from events that carry both and from the servers' own network interfaces.
 */
import type { EventRecord, MetalboxEvent } from '../../events/index.js';

export type Phase =
  | 'discovered'
  | 'dhcp'
  | 'tftp'
  | 'ipxe'
  | 'parked'
  | 'kernel'
  | 'initrd'
  | 'config'
  | 'installing'
  | 'talos'
  | 'installed'
  | 'disk'
  | 'power'
  | 'denied'
  | 'error';

export interface Progress {
  phase: Phase;
  detail: string;
  /** ISO time of the event. */
  at: string;
  /** 0..100 for transfers. */
  pct?: number;
}

/** One boot step read from an event, or undefined for events that are not boot steps. */
export function stepOf(e: MetalboxEvent): Progress | undefined {
  const at = '';
  switch (e.type) {
    case 'server.discovered':
      return { phase: 'discovered', detail: e.accepted ? 'accepted' : 'waiting for accept', at };
    case 'dhcp.exchange':
      if (!e.reply) return undefined;
      return { phase: 'dhcp', detail: `${e.reply}${e.bootFile ? ` ${e.bootFile}` : ''}`, at };
    case 'tftp.transfer': {
      if (e.phase === 'error') return { phase: 'error', detail: `TFTP ${e.file}: ${e.error ?? 'failed'}`, at };
      const pct = e.total ? Math.min(100, Math.floor((e.bytes * 100) / e.total)) : e.phase === 'done' ? 100 : undefined;
      return { phase: 'tftp', detail: `${e.file} ${e.phase === 'done' ? 'done' : pct !== undefined ? `${pct}%` : e.phase}`, at, ...(pct !== undefined ? { pct } : {}) };
    }
    case 'boot.ipxe': {
      const d = e.decision.toLowerCase();
      if (d.includes('park')) return { phase: 'parked', detail: e.detail ?? '', at };
      if (/disk|exit|sanboot|404/.test(d)) return { phase: 'disk', detail: e.decision, at };
      if (d === 'refused') return { phase: 'error', detail: `refused: ${e.detail ?? ''}`, at };
      return { phase: 'ipxe', detail: `${e.decision}${e.environment ? ` ${e.environment}` : ''}`, at };
    }
    case 'boot.asset':
      return { phase: /initr/.test(e.file) ? 'initrd' : 'kernel', detail: `${e.file}`, at };
    case 'boot.config':
      return e.outcome === 'served' ? { phase: 'config', detail: 'config fetched', at } : { phase: 'error', detail: `config ${e.outcome}${e.detail ? `: ${e.detail}` : ''}`, at };
    case 'talos.event':
      return { phase: 'talos', detail: `${e.phase}${e.detail ? `: ${e.detail}` : ''}`, at };
    case 'boot.installed':
      return { phase: 'installed', detail: e.detail ?? '', at };
    case 'power.action':
      if (e.action === 'status') return undefined;
      return e.ok ? { phase: 'power', detail: `${e.action} via ${e.driver}`, at } : { phase: 'error', detail: `power ${e.action} failed: ${e.error ?? 'unknown error'}`, at };
    case 'audit.denied':
      return { phase: 'denied', detail: `denied: ${e.reason}`, at };
    default:
      return undefined;
  }
}

/** A step in a few words: `tftp ipxe.efi 45%`, `parked not accepted yet`, `config fetched`. */
export function activityText(p: Progress): string {
  if (p.phase === 'installed') return `installed${p.detail ? `: ${p.detail}` : ''}`;
  if (p.phase === 'talos') return `Talos: ${p.detail}`;
  const alone: Phase[] = ['config', 'denied', 'error'];
  return (alone.includes(p.phase) ? p.detail : `${p.phase} ${p.detail}`).trim();
}

export class ProgressTracker {
  private readonly byServer = new Map<string, Progress>();
  private readonly macs = new Map<string, string>();
  private readonly pendingByMac = new Map<string, Progress>();
  private last: { seq: number; server: string } | undefined;
  /** Network addresses servers were seen at (asset downloads name both), for TFTP which knows only the peer. */
  private readonly peers = new Map<string, string>();

  /** Feed one event; returns the server whose progress changed, if known. */
  feed(r: EventRecord): string | undefined {
    const e = r.event;
    const subject = e as { server?: string; mac?: string; peer?: string };
    const mac = subject.mac?.toLowerCase();
    if (subject.server && mac) this.macs.set(mac, subject.server);
    if (subject.server && subject.peer) this.peers.set(subject.peer, subject.server);
    const step = stepOf(e);
    if (!step) return undefined;
    step.at = r.time;
    const server = subject.server ?? (mac ? this.macs.get(mac) : undefined) ?? (subject.peer ? this.peers.get(subject.peer) : undefined);
    if (!server) {
      if (mac) this.pendingByMac.set(mac, step);
      return undefined;
    }
    this.byServer.set(server, step);
    this.last = { seq: r.seq, server };
    return server;
  }

  /** The server an event already fed changed, for listeners that run after the tracker's. */
  changedBy(r: EventRecord): string[] {
    return this.last?.seq === r.seq ? [this.last.server] : [];
  }

  /** Tell the tracker a server's MACs (from its hardware inventory). */
  learn(server: string, macs: Iterable<string>): void {
    for (const m of macs) {
      const mac = m.toLowerCase();
      this.macs.set(mac, server);
      const pending = this.pendingByMac.get(mac);
      if (pending) {
        this.pendingByMac.delete(mac);
        const cur = this.byServer.get(server);
        if (!cur || cur.at < pending.at) this.byServer.set(server, pending);
      }
    }
  }

  of(server: string): Progress | undefined {
    return this.byServer.get(server);
  }

  macsOf(server: string): string[] {
    const out: string[] = [];
    for (const [mac, s] of this.macs) if (s === server) out.push(mac);
    return out;
  }

  /** The addresses a server was seen at. */
  peersOf(server: string): Set<string> {
    const out = new Set<string>();
    for (const [peer, s] of this.peers) if (s === server) out.add(peer);
    return out;
  }

  forget(server: string): void {
    this.byServer.delete(server);
  }
}
