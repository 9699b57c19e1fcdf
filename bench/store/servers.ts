import type { Resource } from '../../src/api/meta.js';

/** A Server with full hardware, as Sidero's agent would report it: the load for store and start-up benchmarks. */
export function fullServer(i: number): Resource {
  const uuid = `4c4c4544-0000-1000-8000-${i.toString(16).padStart(12, '0')}`;
  return {
    apiVersion: 'metal.sidero.dev/v1alpha2',
    kind: 'Server',
    metadata: { name: uuid, labels: { rack: `r${i % 10}`, 'metalbox.dev/arch': 'amd64' } },
    spec: {
      accepted: true,
      hardware: {
        system: { uuid, manufacturer: 'Dell Inc.', productName: 'PowerEdge R640', serialNumber: `SN${i}`, skuNumber: 'SKU', family: 'PowerEdge' },
        compute: {
          totalCoreCount: 32, totalThreadCount: 64, processorCount: 2,
          processors: [0, 1].map((p) => ({ manufacturer: 'Intel', productName: 'Xeon Gold 6230', serialNumber: `CPU${i}-${p}`, speed: 2100, coreCount: 16, threadCount: 32 })),
        },
        memory: {
          totalSize: '384 GB', moduleCount: 12,
          modules: Array.from({ length: 12 }, (_, m) => ({ manufacturer: 'Samsung', productName: 'M393A4K40CB2', serialNumber: `M${i}-${m}`, type: 'DDR4', size: 32768, speed: 2933 })),
        },
        storage: {
          totalSize: '3840 GB', deviceCount: 4,
          devices: Array.from({ length: 4 }, (_, d) => ({ type: 'SSD', size: 960197124096, productName: 'SSDSC2KG960G8', serialNumber: `D${i}-${d}`, name: `sd${'abcd'[d]}`, deviceName: `/dev/sd${'abcd'[d]}`, wwid: `naa.${i}${d}` })),
        },
        network: {
          interfaceCount: 4,
          interfaces: Array.from({ length: 4 }, (_, n) => ({ index: n + 1, name: `eno${n + 1}`, flags: 'up|broadcast|multicast', mtu: 1500, mac: `aa:bb:cc:${(i >> 8) & 255}:${i & 255}:${n}`, addresses: [`10.0.${i % 250}.${n + 1}/24`] })),
        },
      },
    },
  };
}

