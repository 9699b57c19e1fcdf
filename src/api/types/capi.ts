/**
 * Cluster API core kinds, `cluster.x-k8s.io/v1beta1` (field names of kubernetes-sigs/cluster-api
 * `api/v1beta1`, as of the v1.10 line that Sidero v0.6.13 builds against).
 */
import type { Condition, LabelSelector, ObjectReference, Resource } from '../meta.js';

export interface APIEndpoint {
  host: string;
  port: number;
}

export interface NetworkRanges {
  cidrBlocks: string[];
}

export interface ClusterNetwork {
  apiServerPort?: number;
  services?: NetworkRanges;
  pods?: NetworkRanges;
  serviceDomain?: string;
}

export interface ClusterAvailabilityGate {
  conditionType: string;
  polarity?: 'Positive' | 'Negative';
}

export interface ClusterSpec {
  paused?: boolean;
  clusterNetwork?: ClusterNetwork;
  controlPlaneEndpoint?: APIEndpoint;
  controlPlaneRef?: ObjectReference;
  infrastructureRef?: ObjectReference;
  availabilityGates?: ClusterAvailabilityGate[];
}

export interface FailureDomainSpec {
  controlPlane?: boolean;
  attributes?: Record<string, string>;
}

export type ClusterPhase = 'Pending' | 'Provisioning' | 'Provisioned' | 'Deleting' | 'Failed' | 'Unknown';

export interface ClusterStatus {
  failureDomains?: Record<string, FailureDomainSpec>;
  failureReason?: string;
  failureMessage?: string;
  phase?: ClusterPhase;
  infrastructureReady?: boolean;
  controlPlaneReady?: boolean;
  conditions?: Condition[];
  observedGeneration?: number;
  /** Cluster API's forward-compatible status block; kept as Cluster API writes it. */
  v1beta2?: Record<string, unknown>;
}

export type Cluster = Resource<ClusterSpec, ClusterStatus> & { apiVersion: 'cluster.x-k8s.io/v1beta1'; kind: 'Cluster' };

export interface Bootstrap {
  configRef?: ObjectReference;
  /** Secret (same namespace) whose key `value` holds the bootstrap data. */
  dataSecretName?: string;
}

export interface MachineReadinessGate {
  conditionType: string;
  polarity?: 'Positive' | 'Negative';
}

export interface MachineSpec {
  clusterName: string;
  bootstrap: Bootstrap;
  infrastructureRef: ObjectReference;
  /** Kubernetes version, `v` prefixed (added by defaulting when missing). */
  version?: string;
  providerID?: string;
  failureDomain?: string;
  readinessGates?: MachineReadinessGate[];
  /** Go durations such as `10m`, `90s`. */
  nodeDrainTimeout?: string;
  nodeVolumeDetachTimeout?: string;
  nodeDeletionTimeout?: string;
}

export interface MachineAddress {
  type: 'Hostname' | 'ExternalIP' | 'InternalIP' | 'ExternalDNS' | 'InternalDNS';
  address: string;
}

export type MachinePhase = 'Pending' | 'Provisioning' | 'Provisioned' | 'Running' | 'Deleting' | 'Deleted' | 'Failed' | 'Unknown';

export interface MachineStatus {
  nodeRef?: ObjectReference;
  nodeInfo?: Record<string, string>;
  lastUpdated?: string;
  failureReason?: string;
  failureMessage?: string;
  addresses?: MachineAddress[];
  phase?: MachinePhase;
  certificatesExpiryDate?: string;
  bootstrapReady?: boolean;
  infrastructureReady?: boolean;
  observedGeneration?: number;
  conditions?: Condition[];
  deletion?: { nodeDrainStartTime?: string; waitForNodeVolumeDetachStartTime?: string };
  v1beta2?: Record<string, unknown>;
}

export type Machine = Resource<MachineSpec, MachineStatus> & { apiVersion: 'cluster.x-k8s.io/v1beta1'; kind: 'Machine' };

export interface MachineTemplateSpec {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: MachineSpec;
}

export type IntOrString = number | string;

export interface MachineDeploymentStrategy {
  type?: 'RollingUpdate' | 'OnDelete';
  rollingUpdate?: { maxUnavailable?: IntOrString; maxSurge?: IntOrString; deletePolicy?: 'Random' | 'Newest' | 'Oldest' };
  remediation?: { maxInFlight?: IntOrString };
}

export interface MachineDeploymentSpec {
  clusterName: string;
  replicas?: number;
  rolloutAfter?: string;
  selector: LabelSelector;
  template: MachineTemplateSpec;
  strategy?: MachineDeploymentStrategy;
  machineNamingStrategy?: { template?: string };
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  paused?: boolean;
  progressDeadlineSeconds?: number;
}

export interface MachineDeploymentStatus {
  observedGeneration?: number;
  selector?: string;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  phase?: 'ScalingUp' | 'ScalingDown' | 'Running' | 'Failed' | 'Unknown';
  conditions?: Condition[];
  v1beta2?: Record<string, unknown>;
}

export type MachineDeployment = Resource<MachineDeploymentSpec, MachineDeploymentStatus> & {
  apiVersion: 'cluster.x-k8s.io/v1beta1';
  kind: 'MachineDeployment';
};
