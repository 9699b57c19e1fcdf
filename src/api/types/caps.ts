/**
 * Sidero's Cluster API infrastructure provider (CAPS), `infrastructure.cluster.x-k8s.io/v1alpha3`.
 * Field names follow siderolabs/sidero `app/caps-controller-manager/api/v1alpha3`.
 */
import type { Condition, ObjectReference, Resource } from '../meta.js';
import type { APIEndpoint, MachineAddress } from './capi.js';

export interface MetalClusterSpec {
  controlPlaneEndpoint: APIEndpoint;
}

export interface MetalClusterStatus {
  ready: boolean;
}

export type MetalCluster = Resource<MetalClusterSpec, MetalClusterStatus> & {
  apiVersion: 'infrastructure.cluster.x-k8s.io/v1alpha3';
  kind: 'MetalCluster';
};

export interface MetalMachineSpec {
  /** `sidero://<server uuid>`, set by the controller. */
  providerID?: string;
  /** A pinned server (set by the user), or the server the controller picked. */
  serverRef?: ObjectReference;
  serverClassRef?: ObjectReference;
}

export interface MetalMachineStatus {
  ready: boolean;
  failureReason?: string;
  failureMessage?: string;
  addresses?: MachineAddress[];
  /** ProviderSet, TalosConfigLoaded, TalosConfigValidated, TalosInstalled. */
  conditions?: Condition[];
}

export type MetalMachine = Resource<MetalMachineSpec, MetalMachineStatus> & {
  apiVersion: 'infrastructure.cluster.x-k8s.io/v1alpha3';
  kind: 'MetalMachine';
};

export interface MetalMachineTemplateSpec {
  template: { spec: MetalMachineSpec };
}

export type MetalMachineTemplate = Resource<MetalMachineTemplateSpec, Record<string, never>> & {
  apiVersion: 'infrastructure.cluster.x-k8s.io/v1alpha3';
  kind: 'MetalMachineTemplate';
};

export interface SideroLinkSpec {
  address: string;
  publicKey: string;
}

/** Cluster-scoped; its name is the Server's name. */
export interface ServerBindingSpec {
  /** Absent when the server was pinned through serverRef. */
  serverClassRef?: ObjectReference;
  metalMachineRef: ObjectReference;
  siderolink?: SideroLinkSpec;
  addresses?: string[];
  hostname?: string;
}

export interface ServerBindingStatus {
  ready: boolean;
  conditions?: Condition[];
}

export type ServerBinding = Resource<ServerBindingSpec, ServerBindingStatus> & {
  apiVersion: 'infrastructure.cluster.x-k8s.io/v1alpha3';
  kind: 'ServerBinding';
};
