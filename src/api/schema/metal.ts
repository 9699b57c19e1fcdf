/** Schemas of metal.sidero.dev/v1alpha2 Server, ServerClass and Environment. */
import { bool, dflt, int64, list, map, obj, oneOf, req, str, uint32 } from './dsl.js';
import { address, conditions, configPatch, httpUrl, labelSelector, objectReference, sha512Hex, strategicPatch } from './common.js';

export const BOOT_FROM_DISK_METHODS = ['ipxe-exit', 'http-404', 'ipxe-sanboot'] as const;
export const PXE_MODES = ['bios', 'uefi'] as const;

const secretKeyRef = obj({ namespace: req(str()), name: req(str()), key: req(str()) });
const credentialSource = obj({ secretKeyRef });

const bmc = obj({
  endpoint: req(str()),
  port: dflt(uint32({ min: 1, max: 65535 }), 623),
  user: str(),
  userFrom: credentialSource,
  pass: str(),
  passFrom: credentialSource,
  interface: dflt(str(), 'lanplus'),
});

export const hardware = obj({
  system: obj({
    uuid: str(),
    manufacturer: str(),
    productName: str(),
    version: str(),
    serialNumber: str(),
    skuNumber: str(),
    family: str(),
  }),
  compute: obj({
    totalCoreCount: uint32(),
    totalThreadCount: uint32(),
    processorCount: uint32(),
    processors: list(
      obj({
        manufacturer: str(),
        productName: str(),
        serialNumber: str(),
        speed: uint32(),
        coreCount: uint32(),
        threadCount: uint32(),
      }),
    ),
  }),
  memory: obj({
    totalSize: str(),
    moduleCount: uint32(),
    modules: list(
      obj({
        manufacturer: str(),
        productName: str(),
        serialNumber: str(),
        type: str(),
        size: uint32(),
        speed: uint32(),
      }),
    ),
  }),
  storage: obj({
    totalSize: str(),
    deviceCount: uint32(),
    devices: list(
      obj({
        type: str(),
        size: int64({ min: 0 }),
        productName: str(),
        serialNumber: str(),
        name: str(),
        deviceName: str(),
        uuid: str(),
        wwid: str(),
      }),
    ),
  }),
  network: obj({
    interfaceCount: uint32(),
    interfaces: list(
      obj({
        index: uint32(),
        name: str(),
        flags: str(),
        mtu: uint32(),
        mac: str(),
        addresses: list(str()),
      }),
    ),
  }),
});

const strategicPatches = list(str({ format: strategicPatch }));

export const serverSchema = obj({
  spec: dflt(
    obj({
      environmentRef: objectReference,
      hardware,
      hostname: str(),
      bmc,
      managementApi: obj({ endpoint: req(str()) }),
      configPatches: list(configPatch),
      strategicPatches,
      accepted: dflt(bool(), false),
      cordoned: bool(),
      pxeBootAlways: bool(),
      bootFromDiskMethod: oneOf(['', ...BOOT_FROM_DISK_METHODS]),
      pxeMode: oneOf(['', ...PXE_MODES]),
    }),
    {},
  ),
  status: obj({
    ready: bool(),
    inUse: bool(),
    isClean: bool(),
    conditions,
    addresses: list(address),
    power: oneOf(['on', 'off', 'unknown', '']),
  }),
});

export const serverClassSchema = obj({
  spec: dflt(
    obj({
      environmentRef: objectReference,
      qualifiers: dflt(obj({ hardware: list(hardware), labelSelectors: list(map(str())) }), {}),
      selector: dflt(labelSelector, {}),
      configPatches: list(configPatch),
      strategicPatches,
      bootFromDiskMethod: oneOf(['', ...BOOT_FROM_DISK_METHODS]),
    }),
    {},
  ),
  status: obj({ serversAvailable: list(str()), serversInUse: list(str()) }),
});

const asset = { url: str({ format: httpUrl }), sha512: str({ format: sha512Hex }) };

export const environmentSchema = obj({
  spec: dflt(obj({ kernel: obj({ ...asset, args: list(str()) }), initrd: obj(asset) }), {}),
  status: obj({
    // Sidero's condition per asset, plus the reason and message Metalbox adds (status is never exported).
    conditions: list(obj({ ...asset, url: str(), status: req(str()), type: req(str()), reason: str(), message: str() })),
  }),
});
