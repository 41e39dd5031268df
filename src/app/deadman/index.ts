export { DeadmanSetting, deadmanSwitch } from './deadman-setting.js';
export { runWatchdog } from './watchdog-command.js';
export { Watchdog, type WatchdogEvent, type WatchdogOptions, type WatchdogPhase } from './watchdog.js';
export { telegramAlert } from './chat-alert.js';
export { type Heartbeat, deadmanSwitchKey, heartbeatKey, parseHeartbeat } from './heartbeat.js';
