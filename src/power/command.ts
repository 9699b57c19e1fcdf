/**
 * `metalbox power SERVER ACTION` as a function: runs in the process that owns the store, through the
 * running power controller when there is one (so its limiter and polling apply), or through a
 * controller of its own for a one-shot command.
 */
import type { Settings } from '../config/index.js';
import type { EventBus, PowerAction } from '../events/index.js';
import type { Store } from '../store/index.js';
import { MetalboxError } from '../util/errors.js';
import { POWER_ACTIONS } from './actions.js';
import { PowerController, type PowerActionResult } from './controller.js';

export function parsePowerAction(action: string): PowerAction {
  if ((POWER_ACTIONS as readonly string[]).includes(action)) return action as PowerAction;
  throw new MetalboxError('POWER_BAD_ACTION', `unknown power action ${JSON.stringify(action)}`, {
    hint: `use one of: ${POWER_ACTIONS.join(', ')} (pxe and disk boot the server from there now)`,
  });
}

export async function powerCommand(
  store: Store,
  settings: Settings,
  events: EventBus,
  serverName: string,
  action: string,
  controller?: PowerController,
): Promise<PowerActionResult> {
  const a = parsePowerAction(action);
  if (controller) return controller.act(serverName, a);
  const own = new PowerController({ store, settings, events });
  try {
    return await own.act(serverName, a);
  } finally {
    await own.stop();
  }
}

/** One line for the terminal. */
export function describePowerResult(r: PowerActionResult): string {
  if (r.action === 'status') return `${r.server}: power ${r.power ?? 'unknown'} (${r.driver})`;
  const did = r.steps.length ? r.steps.join(', then ') : r.action;
  return `${r.server}: ${did} (${r.driver})${r.power ? `; it was ${r.power}` : ''}`;
}
