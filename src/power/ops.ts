/** The power operations the console and the CLI share (registered when the power room is loaded). */
import { defineOps, type OpsContext } from '../ops/index.js';
import { powerCommand } from './command.js';

export interface PowerActionArgs {
  server: string;
  action: string;
}

defineOps({
  'power.action': (ctx: OpsContext, a: PowerActionArgs) => {
    if (!a || typeof a.server !== 'string' || typeof a.action !== 'string') {
      return Promise.reject(new Error('power.action needs {server, action}'));
    }
    return powerCommand(ctx.store, ctx.settings, ctx.events, a.server, a.action, ctx.services.power);
  },
});
