/** Schemas of infrastructure.cluster.x-k8s.io/v1alpha3 (Sidero's CAPS) kinds. */
import { bool, list, obj, req, str } from './dsl.js';
import { address, apiEndpoint, conditions, objectReference } from './common.js';

const metalMachineSpec = obj({
  providerID: str(),
  serverRef: objectReference,
  serverClassRef: objectReference,
});

export const metalClusterSchema = obj({
  spec: obj({ controlPlaneEndpoint: apiEndpoint }, { default: {} }),
  status: obj({ ready: bool() }),
});

export const metalMachineSchema = obj({
  spec: obj(metalMachineSpec.fields, { default: {} }),
  status: obj({
    ready: bool(),
    failureReason: str(),
    failureMessage: str(),
    addresses: list(address),
    conditions,
  }),
});

export const metalMachineTemplateSchema = obj({
  spec: req(obj({ template: req(obj({ spec: req(metalMachineSpec) })) })),
  status: obj({}),
});

export const serverBindingSchema = obj({
  spec: req(
    obj({
      serverClassRef: objectReference,
      metalMachineRef: req(objectReference),
      siderolink: obj({ address: str(), publicKey: str() }),
      addresses: list(str()),
      hostname: str(),
    }),
  ),
  status: obj({ ready: bool(), conditions }),
});
