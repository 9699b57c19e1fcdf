export type * from './metal.js';
export type * from './caps.js';
export type * from './capi.js';
export type * from './talos.js';
export type * from './core.js';
