/**
 * The Talos Cluster API providers: bootstrap (CABPT, `bootstrap.cluster.x-k8s.io/v1alpha3`) and control
 * plane (CACPPT, `controlplane.cluster.x-k8s.io/v1alpha3`).
 */
import type { Condition, ObjectReference, Resource } from '../meta.js';
import type { IntOrString } from './capi.js';
import type { ConfigPatch } from './metal.js';

/** `join` and `worker` mean the same; `none` passes `data` through unchanged. */
export type GenerateType = 'init' | 'controlplane' | 'worker' | 'join' | 'none';

export interface TalosConfigSpec {
  generateType: GenerateType;
  /** Version contract of the generated config, e.g. `v1.13`; empty means the newest supported. */
  talosVersion?: string;
  /** The machine config itself, for generateType `none`. */
  data?: string;
  configPatches?: ConfigPatch[];
  strategicPatches?: string[];
  hostname?: { source?: 'MachineName' | 'InfrastructureName' };
}

export interface TalosConfigStatus {
  ready?: boolean;
  dataSecretName?: string;
  /** Deprecated by CABPT (the `<cluster>-talosconfig` Secret replaces it); holds client credentials. */
  talosConfig?: string;
  failureReason?: string;
  failureMessage?: string;
  observedGeneration?: number;
  conditions?: Condition[];
  v1beta2?: Record<string, unknown>;
}

export type TalosConfig = Resource<TalosConfigSpec, TalosConfigStatus> & {
  apiVersion: 'bootstrap.cluster.x-k8s.io/v1alpha3';
  kind: 'TalosConfig';
};

export interface TalosConfigTemplateSpec {
  template: { spec: TalosConfigSpec };
}

export type TalosConfigTemplate = Resource<TalosConfigTemplateSpec, Record<string, never>> & {
  apiVersion: 'bootstrap.cluster.x-k8s.io/v1alpha3';
  kind: 'TalosConfigTemplate';
};

export interface ControlPlaneConfig {
  controlplane: TalosConfigSpec;
  /** Deprecated since CACPPT v0.4 (every control plane node is `controlplane`, bootstrapped by API). */
  init?: TalosConfigSpec;
}

export interface RolloutStrategy {
  type?: 'RollingUpdate' | 'OnDelete';
  rollingUpdate?: { maxSurge?: IntOrString };
}

export interface TalosControlPlaneSpec {
  /** Defaults to 1. */
  replicas?: number;
  /** Kubernetes version, `v1.33.0` style. */
  version: string;
  infrastructureTemplate: ObjectReference;
  controlPlaneConfig: ControlPlaneConfig;
  /** Defaults to RollingUpdate with maxSurge 1. */
  rolloutStrategy?: RolloutStrategy;
}

export interface TalosControlPlaneStatus {
  selector?: string;
  replicas?: number;
  readyReplicas?: number;
  unavailableReplicas?: number;
  initialized?: boolean;
  ready?: boolean;
  bootstrapped?: boolean;
  failureReason?: string;
  failureMessage?: string;
  observedGeneration?: number;
  conditions?: Condition[];
  v1beta2?: Record<string, unknown>;
}

export type TalosControlPlane = Resource<TalosControlPlaneSpec, TalosControlPlaneStatus> & {
  apiVersion: 'controlplane.cluster.x-k8s.io/v1alpha3';
  kind: 'TalosControlPlane';
};
