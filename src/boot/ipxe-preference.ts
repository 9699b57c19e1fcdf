import { annotations, type Server, type ServerBinding, type ServerClass } from '../api/index.js';
import type { Store } from '../store/index.js';
import { serverMacs } from './hardware.js';

export type IpxeBinaryPreference = 'ipxe' | 'snponly';

/**
 * Which iPXE build a machine gets by DHCP, by its MAC: the `metalbox.dev/ipxe-binary` annotation of the
 * Server, else of the ServerClass it is bound through; undefined (the full iPXE build) for unknown
 * machines. `snponly` is for NICs where iPXE's own drivers hang (Sidero issues #447, #1042).
 */
export function ipxePreferenceFor(store: Store, mac: string): IpxeBinaryPreference | undefined {
  const want = mac.toLowerCase();
  const server = store.list<Server>('Server').find((s) => serverMacs(s.spec?.hardware).includes(want));
  if (!server) return undefined;
  const own = server.metadata.annotations?.[annotations.IPXE_BINARY];
  if (own === 'ipxe' || own === 'snponly') return own;
  const cls = store.get<ServerBinding>('ServerBinding', server.metadata.name)?.spec?.serverClassRef?.name;
  const viaClass = cls ? store.get<ServerClass>('ServerClass', cls)?.metadata.annotations?.[annotations.IPXE_BINARY] : undefined;
  return viaClass === 'ipxe' || viaClass === 'snponly' ? viaClass : undefined;
}
