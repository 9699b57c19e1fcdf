export type { Store, WatchEvent, WatchEventType, ListOptions, WatchOptions } from './types.js';
export { JsonStore, type JsonStoreOptions } from './json-store.js';
export { openStore, ensureDataDir, type OpenStoreOptions, type OpenedStore } from './open.js';
export { acquireLock, lockOwner, pidAlive, LOCK_FILE, type DataDirLock } from './lock.js';
export { SCHEMA_VERSION, STATE_FILE, parseStateFile, type StateFile } from './state-file.js';
export { migrate, migrations, type Migration } from './migrations.js';
