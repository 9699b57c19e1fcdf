/** Helpers shared by the event kind files. */

/** Who an event is about: a Server by name, and/or a network client by MAC. */
export interface Subject {
  /** Server name (lowercase SMBIOS UUID, or a MAC-derived name for untrusted UUIDs). */
  server?: string;
  /** Client MAC, lowercase, colon-separated. */
  mac?: string;
}

/**
 * One formatter per event type: the mapped type makes a missing formatter a compile error,
 * so a new kind cannot be added without its formatter.
 */
export type Formatters<E extends { type: string }> = {
  [T in E['type']]: (e: Extract<E, { type: T }>) => string;
};
