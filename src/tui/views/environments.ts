/** Environments: what servers network-boot (kernel, initrd, args), and whether their assets are ready. */
import type { Environment } from '../../api/index.js';
import { age } from '../text.js';
import { deleteAction, editAction, yamlAction } from './common-actions.js';
import { ListView, type ListSpec } from './list.js';
import type { ConsoleContext } from './view.js';

const base = (url: string | undefined) => (url ? (url.split('/').pop() ?? url) : '');

/** Ready when every asset with a URL has a Ready=True condition for that URL (Sidero's IsReady). */
export function environmentReady(e: Environment): { ready: boolean; why: string } {
  const assets = [e.spec?.kernel, e.spec?.initrd].filter((a) => a?.url);
  const conds = e.status?.conditions ?? [];
  const missing = assets.filter((a) => !conds.some((c) => c.url === a!.url && c.status === 'True'));
  if (!assets.length) return { ready: false, why: 'no kernel or initrd URL' };
  return missing.length ? { ready: false, why: `${missing.map((a) => base(a!.url)).join(', ')} not fetched or not verified` } : { ready: true, why: '' };
}

const spec: ListSpec<Environment> = {
  name: 'environments',
  kind: 'Environment',
  namespaced: false,
  columns: [
    { title: 'NAME', min: 8, max: 30 },
    { title: 'READY', min: 5 },
    { title: 'KERNEL', max: 28, drop: 3 },
    { title: 'INITRD', max: 28, drop: 2 },
    { title: 'ARGS', min: 10, flex: true, drop: 1 },
    { title: 'AGE', align: 'right', drop: 4 },
  ],
  empty: 'no environments: the built-in profiles add one per Talos version at start',
  row: (e) => {
    const r = environmentReady(e);
    const created = e.metadata.creationTimestamp;
    return {
      id: e.metadata.name,
      labels: e.metadata.labels ?? {},
      cells: [
        { text: e.metadata.name },
        { text: r.ready ? 'ready' : `not ready: ${r.why}`, role: r.ready ? 'ok' : 'err' },
        { text: base(e.spec?.kernel?.url) },
        { text: base(e.spec?.initrd?.url) },
        { text: (e.spec?.kernel?.args ?? []).join(' '), role: 'dim' },
        { text: '', sort: created ?? '', live: (now) => age(created, now) },
      ],
    };
  },
  actions: (view, ctx) => [editAction(ctx, () => view.selected), yamlAction(ctx, () => view.selected), deleteAction(ctx, view)],
};

export function environmentsView(ctx: ConsoleContext): ListView<Environment> {
  return new ListView(spec, ctx);
}
