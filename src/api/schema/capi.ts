/** Schemas of cluster.x-k8s.io/v1beta1 Cluster, Machine and MachineDeployment. */
import { any, bool, int32, int64, intOrString, list, map, obj, oneOf, req, str, unsupported } from './dsl.js';
import { address, apiEndpoint, cidr, conditions, dateTime, duration, labelSelector, labelValue, objectReference, qualifiedName } from './common.js';

const networkRanges = obj({ cidrBlocks: req(list(str({ format: cidr }))) });
const gate = obj({ conditionType: req(str()), polarity: oneOf(['Positive', 'Negative']) });
const v1beta2 = any();

export const clusterSchema = obj({
  spec: obj(
    {
      paused: bool(),
      clusterNetwork: obj({
        apiServerPort: int32({ min: 1, max: 65535 }),
        services: networkRanges,
        pods: networkRanges,
        serviceDomain: str(),
      }),
      controlPlaneEndpoint: apiEndpoint,
      controlPlaneRef: objectReference,
      infrastructureRef: objectReference,
      topology: unsupported('ClusterClass topologies; write the Cluster, control plane and MachineDeployments out'),
      availabilityGates: list(gate),
    },
    { default: {} },
  ),
  status: obj({
    failureDomains: map(obj({ controlPlane: bool(), attributes: map(str()) })),
    failureReason: str(),
    failureMessage: str(),
    phase: oneOf(['Pending', 'Provisioning', 'Provisioned', 'Deleting', 'Failed', 'Unknown']),
    infrastructureReady: bool(),
    controlPlaneReady: bool(),
    conditions,
    observedGeneration: int64(),
    v1beta2,
  }),
});

export const machineSpec = obj({
  clusterName: req(str({ format: { test: (s) => s.length > 0 && s.length <= 63, expect: '1 to 63 characters' } })),
  bootstrap: req(obj({ configRef: objectReference, dataSecretName: str() })),
  infrastructureRef: req(objectReference),
  version: str(),
  providerID: str(),
  failureDomain: str(),
  readinessGates: list(gate),
  nodeDrainTimeout: str({ format: duration }),
  nodeVolumeDetachTimeout: str({ format: duration }),
  nodeDeletionTimeout: str({ format: duration }),
});

export const machineSchema = obj({
  spec: req(machineSpec),
  status: obj({
    nodeRef: objectReference,
    nodeInfo: map(str()),
    lastUpdated: str({ format: dateTime }),
    failureReason: str(),
    failureMessage: str(),
    addresses: list(address),
    phase: oneOf(['Pending', 'Provisioning', 'Provisioned', 'Running', 'Deleting', 'Deleted', 'Failed', 'Unknown']),
    certificatesExpiryDate: str({ format: dateTime }),
    bootstrapReady: bool(),
    infrastructureReady: bool(),
    observedGeneration: int64(),
    conditions,
    deletion: obj({ nodeDrainStartTime: str({ format: dateTime }), waitForNodeVolumeDetachStartTime: str({ format: dateTime }) }),
    v1beta2,
  }),
});

export const machineDeploymentSchema = obj({
  spec: req(
    obj({
      clusterName: req(str({ format: { test: (s) => s.length > 0 && s.length <= 63, expect: '1 to 63 characters' } })),
      replicas: int32({ min: 0 }),
      rolloutAfter: str({ format: dateTime }),
      selector: req(labelSelector),
      template: req(
        obj({
          metadata: obj({
            labels: map(str({ format: labelValue }), { keys: qualifiedName }),
            annotations: map(str(), { keys: qualifiedName }),
          }),
          spec: req(machineSpec),
        }),
      ),
      strategy: obj({
        type: oneOf(['RollingUpdate', 'OnDelete']),
        rollingUpdate: obj({ maxUnavailable: intOrString(), maxSurge: intOrString(), deletePolicy: oneOf(['Random', 'Newest', 'Oldest']) }),
        remediation: obj({ maxInFlight: intOrString() }),
      }),
      machineNamingStrategy: obj({ template: str() }),
      minReadySeconds: int32({ min: 0 }),
      revisionHistoryLimit: int32({ min: 0 }),
      paused: bool(),
      progressDeadlineSeconds: int32({ min: 0 }),
    }),
  ),
  status: obj({
    observedGeneration: int64(),
    selector: str(),
    replicas: int32(),
    updatedReplicas: int32(),
    readyReplicas: int32(),
    availableReplicas: int32(),
    unavailableReplicas: int32(),
    phase: oneOf(['ScalingUp', 'ScalingDown', 'Running', 'Failed', 'Unknown']),
    conditions,
    v1beta2,
  }),
});
