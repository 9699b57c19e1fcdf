/** Schemas of the Talos providers' kinds: TalosConfig, TalosConfigTemplate, TalosControlPlane. */
import { any, bool, int32, int64, intOrString, list, obj, oneOf, req, str } from './dsl.js';
import { conditions, configPatch, objectReference, strategicPatch } from './common.js';

export const GENERATE_TYPES = ['init', 'controlplane', 'worker', 'join', 'none'] as const;

export const talosConfigSpec = obj({
  generateType: req(oneOf(GENERATE_TYPES)),
  talosVersion: str({
    format: { test: (s) => s === '' || /^v?\d+\.\d+($|\.)/.test(s), expect: 'a Talos version such as v1.13 or v1.13.9' },
  }),
  data: str(),
  configPatches: list(configPatch),
  strategicPatches: list(str({ format: strategicPatch })),
  hostname: obj({ source: oneOf(['MachineName', 'InfrastructureName']) }),
});

const providerStatus = {
  failureReason: str(),
  failureMessage: str(),
  observedGeneration: int64(),
  conditions,
  v1beta2: any(),
};

export const talosConfigSchema = obj({
  spec: req(talosConfigSpec),
  status: obj({ ready: bool(), dataSecretName: str(), talosConfig: str(), ...providerStatus }),
});

export const talosConfigTemplateSchema = obj({
  spec: req(obj({ template: req(obj({ spec: req(talosConfigSpec) })) })),
  status: obj({}),
});

export const talosControlPlaneSchema = obj({
  spec: req(
    obj({
      replicas: int32({ min: 0 }),
      // The "v" prefix is added by defaulting (finish) before this format is checked.
      version: req(str()),
      infrastructureTemplate: req(objectReference),
      controlPlaneConfig: req(obj({ controlplane: req(talosConfigSpec), init: talosConfigSpec })),
      rolloutStrategy: obj({
        type: oneOf(['RollingUpdate', 'OnDelete']),
        rollingUpdate: obj({ maxSurge: intOrString() }),
      }),
    }),
  ),
  status: obj({
    selector: str(),
    replicas: int32(),
    readyReplicas: int32(),
    unavailableReplicas: int32(),
    initialized: bool(),
    ready: bool(),
    bootstrapped: bool(),
    ...providerStatus,
  }),
});
