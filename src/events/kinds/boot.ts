import type { Formatters, Subject } from './common.js';

export type BootEvent =
  | (Subject & { type: 'server.discovered'; server: string; accepted: boolean })
  | (Subject & { type: 'server.identity'; server: string; reason: string })
  | (Subject & { type: 'boot.ipxe'; server: string; decision: string; environment?: string; detail?: string })
  | (Subject & { type: 'boot.asset'; server?: string; environment: string; file: string; peer: string; bytes: number })
  | (Subject & { type: 'boot.config'; server: string; outcome: 'served' | 'missing' | 'error'; detail?: string })
  | (Subject & { type: 'boot.installed'; server: string; detail?: string })
  /** A released server came back from the wipe environment: marked clean, back in the pool. */
  | (Subject & { type: 'server.wiped'; server: string; detail: string })
  /** A refused request (bad token, wrong source): the requester's address, never the token. */
  | (Subject & { type: 'audit.denied'; peer: string; path: string; reason: string })
  | { type: 'assets.status'; environment: string; asset: 'kernel' | 'initrd'; ready: boolean; detail?: string }
  /** At start: which Environments can boot machines (their kernel and initrd are in the asset cache). */
  | { type: 'assets.summary'; total: number; ready: string[]; missing: string[] }
  | (Subject & { type: 'talos.event'; server: string; phase: string; detail?: string })
  | (Subject & { type: 'talos.log'; server: string; line: string })
  /** Something Talos's event sink or kernel log receiver could not use (unknown sender, garbage); counted and dropped. */
  | { type: 'talos.dropped'; from: string; reason: string }
  /** A request the HTTP service could not answer because of a fault on Metalbox's side (answered 500). */
  | { type: 'http.error'; peer: string; path: string; detail: string };

export const bootFormatters: Formatters<BootEvent> = {
  'server.discovered': (e) => `new server ${e.server}${e.mac ? ` (${e.mac})` : ''}${e.accepted ? ', accepted' : ', waiting for accept'}`,
  'server.identity': (e) => `server ${e.server} identified by MAC: ${e.reason}`,
  'boot.ipxe': (e) => `iPXE ${e.server}: ${e.decision}${e.environment ? ` (${e.environment})` : ''}${e.detail ? `: ${e.detail}` : ''}`,
  'boot.asset': (e) => `asset ${e.environment}/${e.file} to ${e.peer} (${e.bytes} bytes)`,
  'boot.config': (e) => `config for ${e.server}: ${e.outcome}${e.detail ? `: ${e.detail}` : ''}`,
  'boot.installed': (e) => `server ${e.server} installed${e.detail ? `: ${e.detail}` : ''}`,
  'server.wiped': (e) => `server ${e.server} wiped and clean again: ${e.detail}`,
  'audit.denied': (e) => `DENIED ${e.path} from ${e.peer}: ${e.reason}`,
  'assets.status': (e) => `environment ${e.environment} ${e.asset} ${e.ready ? 'ready' : 'not ready'}${e.detail ? `: ${e.detail}` : ''}`,
  'assets.summary': (e) => {
    if (e.missing.length === 0) return `boot assets: all ${e.total} environments ready`;
    const few = e.missing.slice(0, 4).join(', ') + (e.missing.length > 4 ? ` and ${e.missing.length - 4} more` : '');
    const lead = e.ready.length ? `${e.ready.length} of ${e.total} environments ready (${e.ready.slice(0, 4).join(', ')}${e.ready.length > 4 ? ', …' : ''}); ` : '';
    return `boot assets: ${lead}no kernel and initrd yet for ${few}: \`metalbox assets pull ENV\` fetches them where there is internet, \`metalbox assets import DIR --env ENV\` takes them from disk`;
  },
  'talos.event': (e) => `talos ${e.server}: ${e.phase}${e.detail ? ` ${e.detail}` : ''}`,
  'talos.log': (e) => `${e.server}| ${e.line}`,
  'talos.dropped': (e) => `Talos report from ${e.from} dropped: ${e.reason}`,
  'http.error': (e) => `HTTP ${e.path} from ${e.peer} failed: ${e.detail}`,
};
