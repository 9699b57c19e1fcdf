export { defaultSettings, settingsSchema, BOOT_FROM_DISK_METHODS, DHCP_MODES } from './schema.js';
export type { Settings, DhcpReservation, SettingNode } from './schema.js';
export { loadSettings, parseSettings, SETTINGS_FILE, type LoadSettingsOptions, type LoadedSettings } from './load.js';
export { resolveDataDir } from './datadir.js';
export { settingsTemplate } from './template.js';
export { envName, parseDuration, parseRange, ipv4ToInt, type SettingIssue } from './validate.js';
