export { DeadmanSetting } from './deadman-setting.js';
export { type Heartbeat, LUA_NOW, SWITCH_FIELDS, deadmanSwitchKey, heartbeatKey, parseHeartbeat } from './heartbeat.js';
