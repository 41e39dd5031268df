import { existsSync } from 'node:fs';
import { pino } from 'pino';
import { systemClock } from '../engine/index.js';
import { type Config, loadConfig, secretsOf } from './config.js';
import { createLogger } from './logger.js';
import { startPaperApp } from './paper-app.js';

const USAGE = `usage: telegrid [start]     run the bot (paper mode with a terminal chat by default)
       telegrid sandbox       the Binance-compatible sandbox exchange (coming with the Binance issue)
       telegrid worker        an order worker on the shared Redis (coming with the execution issue)`;

/** Refuses what this release cannot do yet, in one sentence the owner can act on. */
function unsupported(config: Config): string | undefined {
  if (config.TRADING_MODE !== 'paper') {
    return `TRADING_MODE=${config.TRADING_MODE} needs the Binance adapter, which is not in this release yet; use TRADING_MODE=paper.`;
  }
  if (config.TELEGRAM_BOT_TOKEN) {
    return 'TELEGRAM_BOT_TOKEN is set, but the Telegram front end is not in this release yet; unset it to use the terminal chat.';
  }
  return undefined;
}

async function start(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const parsed = loadConfig(process.env);
  if (!parsed.ok) {
    process.stderr.write(`${parsed.message}\n`);
    return 2;
  }
  const config = parsed.config;
  const refusal = unsupported(config);
  if (refusal) {
    process.stderr.write(`telegrid cannot start: ${refusal}\n`);
    return 2;
  }
  // The terminal is the chat, so logs go to a file unless the owner chose one.
  const log = createLogger({
    level: config.LOG_LEVEL,
    secrets: secretsOf(config),
    destination: pino.destination({ dest: config.LOG_FILE ?? 'telegrid.log', sync: false, mkdir: true }),
  });
  const app = await startPaperApp(config, {
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
  const stop = (): void => void app.value.shutdown();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const reason = await app.value.closed;
  await app.value.shutdown();
  log.info({ reason }, 'stopped');
  log.flush();
  process.stdout.write('bye\n');
  return 0;
}

async function main(argv: readonly string[]): Promise<number> {
  const command = argv[0] ?? 'start';
  switch (command) {
    case 'start':
      return start();
    case 'sandbox':
    case 'worker':
      process.stderr.write(`telegrid ${command} is not in this release yet.\n${USAGE}\n`);
      return 2;
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
