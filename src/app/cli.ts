import { existsSync } from 'node:fs';
import { pino } from 'pino';
import { systemClock } from '../engine/index.js';
import { AUDIT_USAGE, runAudit } from './audit-command.js';
import { BACKTEST_USAGE, parseBacktestArgs } from './backtest-args.js';
import { runBacktestCommand } from './backtest-command.js';
import { type Config, loadConfig, secretsOf } from './config.js';
import { DATA_USAGE, parseDataArgs, runDataFetch } from './data-command.js';
import { SANDBOX_USAGE, parseSandboxFlags, runSandbox } from './sandbox-command.js';
import { runWatchdog } from './deadman/index.js';
import { createLogger } from './logger.js';
import { PREFIX_LOST } from './prefix-lease.js';
import { TELEGRAM_REFUSED } from './front-end.js';
import { startTradingApp } from './trading-app.js';
import { runWorker } from './worker-command.js';

const USAGE = `usage: telegrid [start]     run the bot (paper mode with a terminal chat by default)
       telegrid sandbox       the Binance-compatible sandbox exchange on 127.0.0.1 (see telegrid sandbox --help)
       telegrid worker        order workers only, on the bot's Redis and exchange (for owners who outgrow one process)
       telegrid audit         the audit trail as JSON lines (see telegrid audit --help)
       telegrid data fetch    Binance's public market-data archives into HISTORY_DIR (see telegrid data --help)
       telegrid backtest      a grid, or a sweep of grids, replayed over past klines (see telegrid backtest --help)
       telegrid watchdog      the dead-man's switch: cancels every bot order and halts when the bot's heartbeat stops`;

/** A setup step the owner still has to take, said once on stderr. */
function setupHint(config: Config): string | undefined {
  if (config.TELEGRAM_BOT_TOKEN && config.TELEGRAM_ALLOWED_CHAT_IDS.length === 0) {
    return 'TELEGRAM_ALLOWED_CHAT_IDS is empty: the bot answers only /whoami. Send it /whoami and put your chat id there.';
  }
  return undefined;
}

function settings(): Config | undefined {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const parsed = loadConfig(process.env);
  if (parsed.ok) return parsed.config;
  process.stderr.write(`${parsed.message}\n`);
  return undefined;
}

/**
 * Calls `stop` on the first SIGINT or SIGTERM; a second one ends the process at once (130, 143). The listeners stay
 * (`on`, not `once`): with `once`, the last listener gone hands the signal back to its default action, and a watchdog
 * sent one SIGTERM was seen killed by it about once in 25 runs under load (watchdog-cli test); kept, not in 48.
 */
function onInterrupt(stop: () => void): void {
  let asked = false;
  const handle = (code: number) => () => {
    if (asked) process.exit(code);
    asked = true;
    stop();
  };
  process.on('SIGINT', handle(130));
  process.on('SIGTERM', handle(143));
}

/** Resolves on the first SIGINT or SIGTERM. */
function interrupted(): Promise<void> {
  return new Promise((resolve) => onInterrupt(resolve));
}

async function sandbox(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${SANDBOX_USAGE}\n`);
    return 0;
  }
  const config = settings();
  if (!config) return 2;
  const flags = parseSandboxFlags(argv, config);
  if (!flags.ok) {
    process.stderr.write(`telegrid sandbox cannot start:\n${flags.error.message}\n`);
    return 2;
  }
  const running = await runSandbox(flags.value, config);
  if (!running.ok) {
    process.stderr.write(`telegrid sandbox cannot start: ${running.error.message}\n`);
    return 2;
  }
  const { server } = running.value;
  process.stdout.write(
    [
      'telegrid sandbox is serving Binance Spot on this machine:',
      `  REST:           ${server.httpBase}   (BINANCE_HTTP_BASE)`,
      `  market streams: ${server.wsBase}   (BINANCE_WS_BASE)`,
      `  WebSocket API:  ${server.wsApi}   (BINANCE_WS_API)`,
      `  USD-M streams:  ${server.wsFutures}   (binance-api-node's wsFutures; also /public, /market, /private)`,
      `  USD-M futures:  ${server.httpBase}/fapi   (public market data so far)`,
      `  API key:        ${config.SANDBOX_API_KEY}`,
      `  API secret:     ${config.SANDBOX_API_SECRET}`,
      'Ctrl-C stops it.',
      '',
    ].join('\n'),
  );
  await Promise.race([interrupted(), running.value.done]);
  await running.value.stop();
  process.stdout.write('sandbox stopped\n');
  return 0;
}

async function data(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${DATA_USAGE}\n`);
    return 0;
  }
  const request = parseDataArgs(argv);
  if (!request.ok) {
    process.stderr.write(`telegrid data: ${request.error.message}\n`);
    return 2;
  }
  const config = settings();
  if (!config) return 2;
  return runDataFetch(request.value, config, {
    out: (line) => void process.stdout.write(`${line}\n`),
    err: (line) => void process.stderr.write(`${line}\n`),
  });
}

async function backtest(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${BACKTEST_USAGE}\n`);
    return 0;
  }
  const args = parseBacktestArgs(argv);
  if (!args.ok) {
    process.stderr.write(`telegrid backtest: ${args.error.message}\n`);
    return 2;
  }
  const config = settings();
  if (!config) return 2;
  const io = {
    out: (line: string) => void process.stdout.write(`${line}\n`),
    err: (line: string) => void process.stderr.write(`${line}\n`),
  };
  return runBacktestCommand(args.value, config, io);
}

async function start(): Promise<number> {
  const config = settings();
  if (!config) return 2;
  const hint = setupHint(config);
  if (hint) process.stderr.write(`telegrid: ${hint}\n`);
  // The terminal is the chat, so logs go to a file unless the owner chose one.
  const log = createLogger({
    level: config.LOG_LEVEL,
    secrets: secretsOf(config),
    destination: pino.destination({ dest: config.LOG_FILE ?? 'telegrid.log', sync: false, mkdir: true }),
  });
  const app = await startTradingApp(config, {
    input: process.stdin,
    output: process.stdout,
    clock: systemClock,
    log,
    realtime: {},
  });
  if (!app.ok) {
    process.stderr.write(`telegrid cannot start: ${app.error.message}\n`);
    return 2;
  }
  log.info({ mode: config.TRADING_MODE, market: config.MARKET_DATA }, 'started');
  onInterrupt(() => void app.value.shutdown());
  const reason = await app.value.closed;
  await app.value.shutdown();
  log.info({ reason }, 'stopped');
  log.flush();
  process.stdout.write('bye\n');
  // Another process took this bot's KEY_PREFIX (the chat said who): not a clean stop, so a supervisor sees it.
  if (reason === PREFIX_LOST) {
    process.stderr.write('telegrid stopped: another process took its KEY_PREFIX (see above); run one bot per KEY_PREFIX.\n');
    return 3;
  }
  if (reason === TELEGRAM_REFUSED) {
    process.stderr.write('telegrid stopped: Telegram refused TELEGRAM_BOT_TOKEN (revoked or wrong), so no command could be read.\n');
    return 4;
  }
  return 0;
}

async function worker(): Promise<number> {
  const config = settings();
  if (!config) return 2;
  const log = createLogger({
    level: config.LOG_LEVEL,
    secrets: secretsOf(config),
    destination: pino.destination({ dest: config.LOG_FILE ?? 'telegrid-worker.log', sync: false, mkdir: true }),
  });
  const code = await runWorker(config, log, interrupted(), (line) => process.stderr.write(`${line}\n`));
  log.flush();
  return code;
}

async function audit(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${AUDIT_USAGE}\n`);
    return 0;
  }
  const config = settings();
  if (!config) return 2;
  const out = (text: string) => void process.stdout.write(text);
  return runAudit(argv, config, { now: Date.now(), out, err: (text) => void process.stderr.write(text) });
}

async function watchdog(): Promise<number> {
  const config = settings();
  if (!config) return 2;
  const log = createLogger({
    level: config.LOG_LEVEL,
    secrets: secretsOf(config),
    destination: pino.destination({ dest: config.LOG_FILE ?? 'telegrid-watchdog.log', sync: false, mkdir: true }),
  });
  const code = await runWatchdog(config, log, interrupted(), (line) => process.stderr.write(`${line}\n`));
  log.flush();
  return code;
}

async function main(argv: readonly string[]): Promise<number> {
  const command = argv[0] ?? 'start';
  switch (command) {
    case 'start':
      return start();
    case 'sandbox':
      return sandbox(argv.slice(1));
    case 'worker':
      return worker();
    case 'audit':
      return audit(argv.slice(1));
    case 'data':
      return data(argv.slice(1));
    case 'backtest':
      return backtest(argv.slice(1));
    case 'watchdog':
      return watchdog();
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    default:
      process.stderr.write(`unknown command '${command}'.\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`telegrid crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
