export { EventBus, type EventBusOptions, type EventListener } from './bus.js';
export { AuditLog, type AuditLogOptions } from './audit-log.js';
export { formatEvent, severityOf, subjectKeys } from './format.js';
export { Ring } from './ring.js';
export type * from './types.js';
