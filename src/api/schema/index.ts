/** One schema per kind (the fields beside apiVersion, kind and metadata). */
import type { ObjectNode } from './dsl.js';
import { metalClusterSchema, metalMachineSchema, metalMachineTemplateSchema, serverBindingSchema } from './caps.js';
import { clusterSchema, machineDeploymentSchema, machineSchema } from './capi.js';
import { secretSchema } from './core.js';
import { environmentSchema, serverClassSchema, serverSchema } from './metal.js';
import { talosConfigSchema, talosConfigTemplateSchema, talosControlPlaneSchema } from './talos.js';

export const SCHEMAS: Readonly<Record<string, ObjectNode>> = {
  Server: serverSchema,
  ServerClass: serverClassSchema,
  Environment: environmentSchema,
  MetalCluster: metalClusterSchema,
  MetalMachine: metalMachineSchema,
  MetalMachineTemplate: metalMachineTemplateSchema,
  ServerBinding: serverBindingSchema,
  Cluster: clusterSchema,
  Machine: machineSchema,
  MachineDeployment: machineDeploymentSchema,
  TalosControlPlane: talosControlPlaneSchema,
  TalosConfig: talosConfigSchema,
  TalosConfigTemplate: talosConfigTemplateSchema,
  Secret: secretSchema,
};

export { objectMeta } from './common.js';
export { obj, req, str } from './dsl.js';
export { BOOT_FROM_DISK_METHODS, PXE_MODES } from './metal.js';
export { GENERATE_TYPES } from './talos.js';
export { closest, issue, isPlainObject, pathText, walk, type Issue, type Report, type Segment } from './walk.js';
export { toJsonSchema, type JsonSchema } from './jsonschema.js';
