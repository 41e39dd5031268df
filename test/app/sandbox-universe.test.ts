import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { type RunningSandbox, parseSandboxFlags, runSandbox } from '../../src/app/sandbox-command.js';
import { type TradingApp, startTradingApp } from '../../src/app/trading-app.js';
import { systemTime } from '../../src/execution/index.js';
import { syntheticUniverse } from '../../src/sandbox/index.js';
import { deleteKeys, uniquePrefix } from '../kit/redis.js';
import { StepTimers } from '../kit/step-timers.js';
import { until } from '../kit/until.js';

/**
 * Issue 14's 1,000 symbols, end to end at the scale of one trade each: `telegrid sandbox --universe 1000` serves them
 * with their varied filters, and a paper bot pointed at it (the BINANCE_* settings) reads them all, splits its feed into
 * MARKET_STREAMS_PER_CONNECTION-sized connections and hears a trade of every symbol. The sandbox's tape stands still
 * (its wall time is stepped by hand and never is): the test sends the trades itself.
 */
const NOW = Date.UTC(2025, 0, 1);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function settings(env: Record<string, string> = {}) {
  const c = loadConfig(env);
  if (!c.ok) throw new Error(c.message);
  return c.config;
}

async function universeSandbox(args: readonly string[]): Promise<RunningSandbox> {
  const flags = parseSandboxFlags(['--port', '0', ...args], settings());
  if (!flags.ok) throw new Error(flags.error.message);
  const timers = new StepTimers(NOW);
  const run = await runSandbox(flags.value, settings(), () => timers.now(), timers);
  if (!run.ok) throw new Error(run.error.message);
  cleanups.push(() => run.value.stop());
  return run.value;
}

describe('telegrid sandbox --universe', () => {
  it('takes a count and a trade rate, and refuses them beside --symbols or out of range', () => {
    const flags = parseSandboxFlags(['--universe', '1000', '--trade-rate', '2.5'], settings());
    expect(flags.ok && flags.value).toMatchObject({ universe: 1000, tradeRate: 2.5 });
    for (const bad of [
      ['--universe', '0'],
      ['--universe', '1.5'],
      ['--universe', '10', '--symbols', 'BTCUSDT'],
      ['--trade-rate', '0'],
    ]) {
      const r = parseSandboxFlags(bad, settings());
      expect(r.ok).toBe(false);
    }
  });

  it('lists 1,000 symbols in exchangeInfo with the universe filters, ticks of many sizes', async () => {
    const sandbox = await universeSandbox(['--universe', '1000']);
    const info = (await (await fetch(`${sandbox.server.httpBase}/api/v3/exchangeInfo`)).json()) as {
      symbols: { symbol: string; filters: { filterType: string; tickSize?: string; stepSize?: string }[] }[];
    };
    const expected = syntheticUniverse(1_000);
    expect(info.symbols.map((s) => s.symbol)).toEqual(expected.map((s) => s.instrument.symbol));
    const ticks = new Set(info.symbols.map((s) => s.filters.find((f) => f.filterType === 'PRICE_FILTER')?.tickSize));
    expect(ticks.size).toBeGreaterThanOrEqual(6);
  });
});

describe('a paper bot on 1,000 symbols', () => {
  it('reads every symbol, subscribes all in connections of 200 streams and publishes a trade of each', async () => {
    const sandbox = await universeSandbox(['--universe', '1000']);
    const universe = syntheticUniverse(1_000);
    const symbols = universe.map((s) => s.instrument.symbol);
    const prefix = uniquePrefix();
    cleanups.push(() => deleteKeys(prefix));
    const config = settings({
      TRADING_MODE: 'paper',
      BINANCE_HTTP_BASE: sandbox.server.httpBase,
      BINANCE_WS_BASE: sandbox.server.wsBase,
      BINANCE_WS_API: sandbox.server.wsApi,
      KEY_PREFIX: prefix,
      MARKET_SYMBOLS: symbols.join(','),
      METRICS_PORT: '0',
    });
    const started = await startTradingApp(config, {
      input: new PassThrough(),
      output: new PassThrough(),
      clock: systemTime,
      log: pino({ level: 'silent' }),
      terminal: false,
    });
    if (!started.ok) throw new Error(started.error.message);
    const app: TradingApp = started.value;
    cleanups.push(() => app.shutdown());

    // The filters the bot trades with are the sandbox's, read exactly from exchangeInfo.
    expect(app.venue.instruments).toHaveLength(1_000);
    const byName = new Map(app.venue.instruments.map((i) => [i.symbol, i]));
    for (const s of universe) expect(byName.get(s.instrument.symbol)?.filters.priceFilter).toEqual(s.instrument.filters.priceFilter);

    // MARKET_STREAMS_PER_CONNECTION's default: five connections, each on the sandbox.
    expect(app.feed.urls.map((u) => new URL(u).searchParams.get('streams')!.split('/').length)).toEqual([200, 200, 200, 200, 200]);
    await until(() => sandbox.server.faults.status().sockets.market === 5, 20_000);

    const heard = new Map<string, bigint>();
    app.kernel.host.bus.on('TradeTicked', (m) => heard.set(m.tick.symbol, m.tick.price));
    for (const s of universe) {
      sandbox.hub.trade({
        symbol: s.instrument.symbol,
        price: s.startPrice,
        quantity: s.instrument.filters.lotSize.minQty,
        time: NOW,
        tradeId: 1,
        isBuyerMaker: false,
      });
    }
    await until(() => heard.size === 1_000, 20_000);
    for (const s of universe) {
      expect(heard.get(s.instrument.symbol)).toBe(s.startPrice);
      expect(app.kernel.market.lastPrice(s.instrument.symbol)).toBe(s.startPrice);
    }
    expect(symbols.every((s) => !app.feed.isStale(s))).toBe(true);
  }, 60_000);
});
