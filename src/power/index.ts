/** Power control: one driver interface (IPMI, Redfish, Wake-on-LAN, QEMU, manual, none) and the controller. */
// Registers the power.* operations the console and the CLI run.
import './ops.js';

export type { PowerDriver, BootDevice, BootOptions, DriverName, DriverCapabilities, PowerState } from './types.js';
export { DRIVER_NAMES } from './types.js';
export { POWER_ERROR_CODES, type PowerErrorKind } from './errors.js';
export { PowerController, type PowerControllerOptions, type PowerActionResult } from './controller.js';
export { bootOptionsOf } from './entry.js';
export { PowerLimiter } from './limiter.js';
export { performAction, bootInto, POWER_ACTIONS, type ActionResult } from './actions.js';
export { powerDriverFor, driverNameOf, redfishBaseUrl, type DriverContext } from './select.js';
export { IpmiDriver, type IpmiDriverOptions } from './ipmi/driver.js';
export { findIpmitool } from './ipmi/ipmitool.js';
export { RedfishDriver, type RedfishDriverOptions } from './redfish/driver.js';
export { normalizeFingerprint, type TlsPolicy } from './redfish/tls.js';
export { WolDriver, magicPacket, provisioningAddress, type WolDriverOptions, type ProvisioningAddress } from './wol.js';
export { QemuDriver, type QemuDriverOptions } from './qemu/driver.js';
export { ManualDriver, NoDriver } from './manual.js';
export { powerCommand, parsePowerAction, describePowerResult } from './command.js';
export type { PowerActionArgs } from './ops.js';
