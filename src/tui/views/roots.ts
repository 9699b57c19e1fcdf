/** The views `:` switches between (kept alive, so each keeps its selection), and the keys every view has. */
import type { Console } from '../console.js';
import type { Action } from '../keys.js';
import { parseFilter } from '../model/filter.js';
import { classesView } from './classes.js';
import { clustersView } from './clusters.js';
import { environmentsView } from './environments.js';
import { EventsView } from './events.js';
import { machinesView } from './machines.js';
import { serversView } from './servers.js';
import type { View } from './view.js';

const MAKERS: Record<string, (c: Console) => View> = {
  servers: (c) => serversView(c.ctx),
  classes: (c) => classesView(c.ctx),
  clusters: (c) => clustersView(c.ctx),
  machines: (c) => machinesView(c.ctx),
  environments: (c) => environmentsView(c.ctx),
  events: (c) => new EventsView(c.ctx),
};

export const ROOT_NAMES = Object.keys(MAKERS);

export function openRoot(c: Console, name: string, filter?: string): void {
  const make = MAKERS[name];
  if (!make) return c.ctx.flash.warn(`no view ${name}`);
  let v = c.roots.get(name);
  if (!v) {
    v = make(c);
    c.roots.set(name, v);
  }
  if (filter !== undefined && v.filter) {
    const p = parseFilter(filter);
    if (p.ok) v.filter.set(p.filter);
    else c.ctx.flash.warn(p.error);
  }
  c.setRoot(v);
}

export function generalActions(c: Console): Action[] {
  const top = c.top;
  const back = c.stack.length > 1;
  const filtered = !!top.filter?.current();
  return [
    { key: ':', label: 'command', help: 'switch view by name (tab completes): servers, classes, clusters, machines, environments, events, setup, q', section: 'general', run: () => c.openPrompt('command') },
    { key: '/', label: 'filter', help: 'filter the list: text, !text inverts, -l key=value by label', section: 'general', disabled: () => (top.filter ? undefined : 'this view has no filter'), run: () => c.openPrompt('filter') },
    { key: '?', label: 'help', help: 'every key of this view', section: 'general', hint: c.stack.length === 1, run: () => c.openHelp() },
    {
      key: 'escape',
      label: filtered ? 'clear filter' : 'back',
      help: 'clear the filter, or go back to the previous view',
      section: 'general',
      hint: back || filtered,
      disabled: () => (filtered || back ? undefined : 'already at the top'),
      run: () => {
        if (filtered) top.filter!.set(undefined);
        else c.pop();
      },
    },
    {
      key: 'q',
      label: back ? 'back' : 'quit',
      help: 'go back; on the first view, stop Metalbox and quit (asks first)',
      section: 'general',
      run: () => (back ? c.pop() : confirmQuit(c)),
    },
    { key: 'C-c', label: 'quit', help: 'stop Metalbox and quit (asks first)', section: 'general', run: () => confirmQuit(c) },
  ];
}

async function confirmQuit(c: Console): Promise<void> {
  const yes = await c.ctx.dialogs.confirm('quit', ['Stop Metalbox and quit?', 'DHCP, TFTP and HTTP stop: machines booting now will wait until it runs again.'], true);
  if (yes) await c.quit();
}
