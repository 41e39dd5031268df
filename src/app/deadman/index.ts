export { DeadmanSetting, deadmanSwitch } from './deadman-setting.js';
export { FuturesCountdown } from './futures-countdown.js';
export { runWatchdog } from './watchdog-command.js';
export type { WatchdogEvent } from './watchdog.js';
export { deadmanSwitchKey, heartbeatKey, parseHeartbeat } from './heartbeat.js';
