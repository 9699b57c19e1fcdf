/**
 * The HTTP service: `/boot.ipxe`, `/ipxe` (discovery and boot decisions), `/env/<environment>/<file>`
 * (assets), `/tftp/<file>` (iPXE binaries), `/configdata` (machine configs behind boot tokens).
 */
export { createHttpService, type HttpService, type HttpServiceOptions } from './service.js';
export type { RenderConfig } from './context.js';
export { parseRange, type RangeResult } from './files.js';
export { parseArpTable, arpLookup } from './arp.js';
export { pathParts, MAX_URL_LENGTH } from './router.js';
export { BOOT_ROUNDS } from './ipxe.js';
export { findBootstrapConfig, patchSource } from './configdata.js';
