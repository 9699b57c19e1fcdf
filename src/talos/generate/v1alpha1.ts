/**
 * The v1alpha1 document as Talos's generator builds it (generate/init.go, controlplane.go, worker.go)
 * for contracts 1.7 to 1.13. Values are plain objects in the decoded form the encoder writes.
 */
import { gates } from '../contract.js';
import type { YamlObject } from '../yaml/parse.js';
import type { NormalizedInput } from './input.js';

const KUBELET_IMAGE = 'ghcr.io/siderolabs/kubelet';
const APISERVER_IMAGE = 'registry.k8s.io/kube-apiserver';
const CONTROLLER_MANAGER_IMAGE = 'registry.k8s.io/kube-controller-manager';
const SCHEDULER_IMAGE = 'registry.k8s.io/kube-scheduler';
const PROXY_IMAGE = 'registry.k8s.io/kube-proxy';
const KUBEPRISM_PORT = 7445;
const EXCLUDE_FROM_LB = 'node.kubernetes.io/exclude-from-external-load-balancers';

function image(repo: string, k8s: string): string {
  return k8s === '' ? '' : `${repo}:v${k8s}`;
}

/** Drops keys whose value is undefined, so that objects read like the Go struct literals. */
function obj(entries: Record<string, unknown>): YamlObject {
  const out: YamlObject = {};
  for (const [k, v] of Object.entries(entries)) if (v !== undefined) out[k] = v as YamlObject[string];
  return out;
}

const DEFAULT_POD_SECURITY = {
  apiVersion: 'pod-security.admission.config.k8s.io/v1alpha1',
  kind: 'PodSecurityConfiguration',
  defaults: {
    enforce: 'baseline',
    'enforce-version': 'latest',
    audit: 'restricted',
    'audit-version': 'latest',
    warn: 'restricted',
    'warn-version': 'latest',
  },
  exemptions: { usernames: [], runtimeClasses: [], namespaces: ['kube-system'] },
};

const DEFAULT_AUDIT_POLICY = { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level: 'Metadata' }] };

function features(inp: NormalizedInput): YamlObject {
  const c = inp.contract;
  const hideRbac = gates.hideRBACAndKeyUsage(c);
  let kubePrism: YamlObject | undefined;
  if (inp.kubePrismPort !== undefined) {
    kubePrism = inp.kubePrismPort > 0 ? { enabled: true, port: inp.kubePrismPort } : undefined;
  } else if (gates.kubePrismEnabled(c)) {
    kubePrism = { enabled: true, port: KUBEPRISM_PORT };
  }
  return obj({
    rbac: hideRbac ? undefined : true,
    stableHostname: gates.stableHostnameEnabled(c) && !gates.multidocNetworkConfigSupported(c) ? true : undefined,
    apidCheckExtKeyUsage: !hideRbac && gates.apidExtKeyUsageCheckEnabled(c) ? true : undefined,
    diskQuotaSupport: gates.diskQuotaSupportEnabled(c) ? true : undefined,
    kubePrism,
    hostDNS: gates.hostDNSEnabled(c)
      ? obj({ enabled: true, forwardKubeDNSToHost: gates.hostDNSForwardKubeDNSToHost(c) ? true : undefined })
      : undefined,
  });
}

function registries(inp: NormalizedInput): YamlObject | undefined {
  if (gates.multidocNetworkConfigSupported(inp.contract)) return undefined;
  const mirrors: YamlObject = {};
  for (const [host, endpoints] of Object.entries(inp.registryMirrors)) mirrors[host] = { endpoints: [...endpoints] };
  const config: YamlObject = {};
  const tls = (host: string): YamlObject => {
    const entry = (config[host] ??= { tls: {} }) as YamlObject;
    return entry.tls as YamlObject;
  };
  for (const [host, ca] of Object.entries(inp.registryCACerts)) tls(host).ca = Buffer.from(ca).toString('base64');
  for (const host of inp.registryInsecure) tls(host).insecureSkipVerify = true;
  return obj({ mirrors, config });
}

function machine(inp: NormalizedInput, controlPlane: boolean): YamlObject {
  const c = inp.contract;
  const os = inp.secrets.certs.os;
  return obj({
    type: inp.machineType,
    token: inp.secrets.trustdInfo.token,
    ca: { crt: os.crt, key: controlPlane ? os.key : '' },
    certSANs: [...inp.additionalSANs],
    kubelet: obj({
      image: image(KUBELET_IMAGE, inp.kubernetesVersion),
      defaultRuntimeSeccompProfileEnabled: gates.kubeletDefaultRuntimeSeccompProfileEnabled(c) ? true : undefined,
      disableManifestsDirectory: gates.kubeletManifestsDirectoryDisabled(c) ? true : undefined,
    }),
    network: gates.kubeSpanMultidocConfig(c) ? undefined : {},
    install: obj({
      disk: inp.installDisk,
      image: inp.installImage,
      extraKernelArgs: [...inp.installExtraKernelArgs],
      wipe: false,
      grubUseUKICmdline: gates.grubUseUKICmdlineDefault(c) ? true : undefined,
    }),
    sysctls: { ...inp.sysctls },
    registries: registries(inp),
    features: features(inp),
    nodeLabels: controlPlane && gates.addExcludeFromExternalLoadBalancer(c) ? { [EXCLUDE_FROM_LB]: '' } : undefined,
  });
}

function clusterNetwork(inp: NormalizedInput): YamlObject {
  return obj({
    cni: inp.cni ? obj({ name: inp.cni.name, urls: [...(inp.cni.urls ?? [])] }) : undefined,
    dnsDomain: inp.dnsDomain,
    podSubnets: [...inp.podSubnets],
    serviceSubnets: [...inp.serviceSubnets],
  });
}

function discovery(inp: NormalizedInput): YamlObject | undefined {
  if (!inp.discovery) return undefined;
  return obj({
    enabled: true,
    registries: gates.kubernetesDiscoveryBackendDisabled(inp.contract) ? { kubernetes: { disabled: true } } : {},
  });
}

function apiServer(inp: NormalizedInput): YamlObject {
  const c = inp.contract;
  const sans = gates.populateClusterSANsFromEndpoint(c) ? [inp.endpointHost, ...inp.additionalSANs] : [...inp.additionalSANs];
  return obj({
    image: image(APISERVER_IMAGE, inp.kubernetesVersion),
    certSANs: sans,
    disablePodSecurityPolicy: gates.hideDisablePSP(c) ? undefined : true,
    admissionControl: gates.podSecurityAdmissionEnabled(c)
      ? [{ name: 'PodSecurity', configuration: structuredClone(DEFAULT_POD_SECURITY) }]
      : undefined,
    auditPolicy: gates.apiServerAuditPolicySupported(c) ? structuredClone(DEFAULT_AUDIT_POLICY) : undefined,
  });
}

function controlPlaneCluster(inp: NormalizedInput): YamlObject {
  const c = inp.contract;
  const s = inp.secrets;
  const allow = inp.allowSchedulingOnControlPlanes;
  return obj({
    id: s.cluster.id,
    secret: s.cluster.secret,
    controlPlane: obj({ endpoint: inp.endpoint, localAPIServerPort: inp.localAPIServerPort || undefined }),
    clusterName: inp.clusterName,
    network: clusterNetwork(inp),
    token: s.secrets.bootstrapToken,
    aescbcEncryptionSecret: gates.secretboxEncryptionSupported(c) ? undefined : s.secrets.aescbcEncryptionSecret,
    secretboxEncryptionSecret: gates.secretboxEncryptionSupported(c) ? s.secrets.secretboxEncryptionSecret : undefined,
    ca: { crt: s.certs.k8s.crt, key: s.certs.k8s.key },
    aggregatorCA: { crt: s.certs.k8sAggregator.crt, key: s.certs.k8sAggregator.key },
    serviceAccount: { key: s.certs.k8sServiceAccount.key },
    apiServer: apiServer(inp),
    controllerManager: { image: image(CONTROLLER_MANAGER_IMAGE, inp.kubernetesVersion) },
    proxy: { image: image(PROXY_IMAGE, inp.kubernetesVersion) },
    scheduler: { image: image(SCHEDULER_IMAGE, inp.kubernetesVersion) },
    discovery: discovery(inp),
    etcd: { ca: { crt: s.certs.etcd.crt, key: s.certs.etcd.key } },
    allowSchedulingOnControlPlanes: allow && gates.kubernetesAllowSchedulingOnControlPlanes(c) ? true : undefined,
    allowSchedulingOnMasters: allow && !gates.kubernetesAllowSchedulingOnControlPlanes(c) ? true : undefined,
  });
}

function workerCluster(inp: NormalizedInput): YamlObject {
  const s = inp.secrets;
  return obj({
    id: s.cluster.id,
    secret: s.cluster.secret,
    controlPlane: { endpoint: inp.endpoint },
    clusterName: gates.clusterNameForWorkers(inp.contract) ? inp.clusterName : undefined,
    network: clusterNetwork(inp),
    token: s.secrets.bootstrapToken,
    ca: { crt: s.certs.k8s.crt, key: '' },
    discovery: discovery(inp),
  });
}

/** The v1alpha1 document for the input's machine type. */
export function v1alpha1Document(inp: NormalizedInput): YamlObject {
  const controlPlane = inp.machineType !== 'worker';
  return {
    version: 'v1alpha1',
    debug: inp.debug,
    persist: true,
    machine: machine(inp, controlPlane),
    cluster: controlPlane ? controlPlaneCluster(inp) : workerCluster(inp),
  };
}
