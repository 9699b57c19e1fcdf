import type { Resource } from '../api/index.js';
import type { Settings } from '../config/index.js';
import type { EventBus } from '../events/index.js';
import type { Store } from '../store/index.js';

export interface ControllerContext {
  store: Store;
  events: EventBus;
  settings: Settings;
}

/** What to reconcile: one object of the controller's primary kind. */
export interface Ref {
  name: string;
  namespace?: string;
}

/**
 * A reconcile loop for one concern. It is triggered by changes of the kinds it watches (mapped to the
 * primary objects they affect) and by a periodic resync; reconcile reads the current state, computes the
 * next step and writes it, and must be safe to run twice.
 */
export interface Controller {
  name: string;
  /** The kind reconciled. */
  primary: string;
  /** Other kinds whose changes matter, with how to find the primary objects they affect. */
  watches?: { kind: string; map: (obj: Resource, ctx: ControllerContext) => Ref[] }[];
  reconcile(ctx: ControllerContext, ref: Ref): Promise<void>;
}
