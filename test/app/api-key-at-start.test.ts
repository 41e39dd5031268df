import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { type TradingApp, startTradingApp } from '../../src/app/trading-app.js';
import { type Instrument, catalogInstrument, fx } from '../../src/domain/index.js';
import { ManualClock } from '../../src/engine/index.js';
import { SandboxHub, type SandboxServer, startSandboxServer } from '../../src/sandbox/index.js';
import { deleteKeys, uniquePrefix } from '../kit/redis.js';

const KEY = 'keycheck-key-0123456789';
const SECRET = 'keycheck-secret-0123456789';
const prefix = uniquePrefix();
let app: TradingApp | undefined;
let server: SandboxServer | undefined;
afterEach(async () => {
  await app?.shutdown();
  await server?.close();
  await deleteKeys(prefix);
  app = undefined;
  server = undefined;
});

/** testnet mode against a sandbox standing in for Binance, whose API key can (or cannot) withdraw. */
async function startWith(canWithdraw: boolean, env: Record<string, string> = {}) {
  const clock = new ManualClock(1_741_046_400_000);
  const hub = new SandboxHub({
    instruments: [catalogInstrument('BTCUSDT') as Instrument],
    balances: { USDT: fx('5000') },
    account: { apiKey: KEY, apiSecret: SECRET },
    now: () => clock.now(),
  });
  server = await startSandboxServer({ hub, apiRestrictions: { enableWithdrawals: canWithdraw } });
  const config = loadConfig({
    TRADING_MODE: 'testnet',
    BINANCE_API_KEY: KEY,
    BINANCE_API_SECRET: SECRET,
    BINANCE_HTTP_BASE: server.httpBase,
    BINANCE_WS_BASE: server.wsBase,
    BINANCE_WS_API: server.wsApi,
    MARKET_SYMBOLS: 'BTCUSDT',
    KEY_PREFIX: prefix,
    ...env,
  });
  if (!config.ok) throw new Error(config.message);
  const output = new PassThrough();
  let screen = '';
  output.on('data', (c: Buffer) => (screen += c.toString('utf8')));
  const started = await startTradingApp(config.config, {
    input: new PassThrough(),
    output,
    clock,
    log: pino({ level: 'silent' }),
    terminal: false,
  });
  if (started.ok) app = started.value;
  return { started, screen: () => screen };
}

describe('the API key is checked before any order', () => {
  it('refuses to start with a key that can withdraw, saying what to change', async () => {
    const { started } = await startWith(true);
    expect(started.ok).toBe(false);
    if (started.ok) return;
    expect(started.error.code).toBe('API_KEY_CAN_WITHDRAW');
    expect(started.error.message).toMatch(/Enable Withdrawals/);
    expect(started.error.message).toContain('ALLOW_WITHDRAWAL_KEY');
    expect(started.error.message).not.toContain(SECRET);
  });

  it('starts with ALLOW_WITHDRAWAL_KEY=true, and says in the chat what that means', async () => {
    const { started, screen } = await startWith(true, { ALLOW_WITHDRAWAL_KEY: 'true' });
    expect(started.ok).toBe(true);
    expect(screen()).toMatch(/withdraw/i);
  });

  it('starts with a trading-only key', async () => {
    const { started } = await startWith(false);
    expect(started.ok).toBe(true);
  });
});
