/**
 * The demo rack: simulated servers that speak real DHCP, TFTP and HTTP to Metalbox over loopback. Used by
 * `metalbox demo`, the console's tests and its benchmarks. Other rooms import only from here.
 */
export { startDemo, machineAddress, DEMO_ADDRESS, type Demo, type DemoOptions } from './rack.js';
export { SimulatedMachine, ipxeSettings, type MachineState, type MachineEnv } from './machine.js';
export { simulatedHardware, serverHardware, seededUuid, seededMac, type SimHardware } from './hardware.js';
export { IpxeInterpreter, expand, splitChain, uristring, type Outcome, type IpxeHost } from './ipxe.js';
export { pxeDhcp, discoverPacket, ReplyListener, type DhcpTarget, type BootOffer } from './dhcp-client.js';
export { tftpRead, type TftpResult } from './tftp-client.js';
export { httpGet } from './http-client.js';
