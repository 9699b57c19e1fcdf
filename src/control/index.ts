export { ControlServer, type OpRunner } from './server.js';
export { ControlClient } from './client.js';
export { CONTROL_SOCKET, type ControlRequest, type ControlReply, type ControlError } from './protocol.js';
