import { bootstrapController } from './bootstrap.js';
import { clusterController } from './cluster.js';
import { controlPlaneController } from './controlplane.js';
import { deploymentController } from './deployment.js';
import { garbageCollector } from './gc.js';
import { machineController } from './machine.js';
import { ControllerManager } from './manager.js';
import { metalMachineController } from './metalmachine.js';
import { serverController } from './server.js';
import { serverClassController } from './serverclass.js';
import type { Controller, ControllerContext } from './types.js';

/** Every controller, in the order their work usually flows. */
export const CONTROLLERS: readonly Controller[] = [
  clusterController,
  controlPlaneController,
  deploymentController,
  machineController,
  bootstrapController,
  metalMachineController,
  serverController,
  serverClassController,
  garbageCollector,
];

export function createControllers(ctx: ControllerContext, controllers: readonly Controller[] = CONTROLLERS): ControllerManager {
  return new ControllerManager(ctx, [...controllers]);
}

export { ControllerManager } from './manager.js';
export { bootstrapSecretName, endpointOf } from './bootstrap.js';
export { bundleSecretName, clusterSecrets, secretValue, secretWith } from './secrets.js';
export { METALMACHINE_FINALIZER } from './metalmachine.js';
export { CONTROL_PLANE_LABEL, CONTROL_PLANE_NAME_LABEL } from './machines.js';
export type { Controller, ControllerContext, Ref } from './types.js';
