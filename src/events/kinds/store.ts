import type { Formatters } from './common.js';

export type StoreEvent =
  | { type: 'store.conflict'; key: string; detail: string }
  | { type: 'store.backup'; path: string }
  | { type: 'store.migrated'; from: number; to: number }
  | { type: 'store.lock'; detail: string }
  | { type: 'resource.changed'; change: 'created' | 'updated' | 'deleted'; kind: string; name: string; namespace?: string; by?: string }
  | { type: 'controller.error'; controller: string; key: string; error: string }
  | { type: 'controller.note'; controller: string; key: string; message: string };

export const storeFormatters: Formatters<StoreEvent> = {
  'store.conflict': (e) => `conflict on ${e.key}: ${e.detail}`,
  'store.backup': (e) => `state backed up to ${e.path}`,
  'store.migrated': (e) => `state file migrated from schema ${e.from} to ${e.to}`,
  'store.lock': (e) => e.detail,
  'resource.changed': (e) =>
    `${e.kind} ${e.namespace ? `${e.namespace}/` : ''}${e.name} ${e.change}${e.by ? ` by ${e.by}` : ''}`,
  'controller.error': (e) => `${e.controller} ${e.key}: ${e.error}`,
  'controller.note': (e) => `${e.controller} ${e.key}: ${e.message}`,
};
