import './appliance.js';
import './resources.js';
import './servers.js';
import './clusters.js';
import './assets.js';

export { runOp, opNames, defineOps, type OpHandler } from './registry.js';
export type { OpsContext, ServiceHandles, ApplianceStatus, ServiceStatus } from './types.js';
export type { EnvironmentAssets, ImportResult } from './assets.js';
