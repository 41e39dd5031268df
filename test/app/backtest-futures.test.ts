/**
 * A USD-M grid replayed over a real day of BTCUSDT perpetual 1m klines with the real funding-rate series, through the
 * bot's kernel and the sandbox's FuturesEngine in process: round trips happen, funding settles at the day's funding
 * times and is booked to the grid, the figures add up, and the replay is deterministic.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type BacktestReport,
  type BacktestRequest,
  backtestText,
  historyCandles,
  historyFunding,
  runBacktest,
} from '../../src/app/backtest/index.js';
import { type FuturesGridTerms, type GridParams } from '../../src/strategy/index.js';
import { ZERO, catalogInstrument, fixed, fx } from '../../src/domain/index.js';
import { loadCandles, loadFundingRates, parseDayRange } from '../../src/history/index.js';

const DATA = path.resolve(fileURLToPath(new URL('../../', import.meta.url)), '../shared/data/futures/um');
const DAY = Date.UTC(2025, 4, 5);
const HOUR = 3_600_000;

function klines(days: readonly string[]) {
  return days.flatMap((d) => {
    const c = loadCandles(path.join(DATA, `klines/BTCUSDT-1m-2025-05-${d}.csv`));
    if (!c.ok) throw new Error(c.error.message);
    return c.value.candles;
  });
}

function request(futures: FuturesGridTerms, funding: BacktestRequest['funding'] = series()): BacktestRequest {
  const params: GridParams = {
    symbol: 'BTCUSDT',
    levels: 8,
    spacingPct: fx('0.25'),
    amountQuote: fx('200'),
    spacing: 'arithmetic',
    futures,
  };
  return {
    params,
    instrument: catalogInstrument('BTCUSDT')!,
    candles: klines(['05']),
    interval: '1m',
    fees: { maker: fx('0.0002'), taker: fx('0.0005') },
    limits: { maxLeverage: 20 },
    funding,
  };
}

function series() {
  const s = loadFundingRates(path.join(DATA, 'fundingRate/BTCUSDT-fundingRate-2025-05.csv'));
  if (!s.ok) throw new Error(s.error.message);
  return s.value;
}

async function run(r: BacktestRequest): Promise<BacktestReport> {
  const report = await runBacktest(r);
  if (!report.ok) throw new Error(report.error.message);
  return report.value;
}

/** The figures that must add up in every futures report. */
function expectConsistent(r: BacktestReport) {
  const f = r.futures!;
  expect(f.funding).toBe(f.settlements.reduce((s, x) => s + x.amount, ZERO));
  // The grid's total PnL is its round trips, its open position's unrealized PnL and the funding it paid or received.
  expect(r.grid.totalPnl).toBe(r.gridProfit + r.unrealizedPnl + f.funding);
  expect(r.equity.at(-1)!.grid).toBe(r.investment + r.grid.totalPnl);
  expect(r.fills).toBe(r.gridFills.length);
  expect(r.denied).toEqual({});
}

describe('backtest of a USD-M grid over BTCUSDT perpetual klines', () => {
  it('a neutral x3 grid trades round trips, pays or receives funding at 08:00 and 16:00 UTC, and its figures add up', async () => {
    const r = await run(request({ mode: 'neutral', leverage: 3, margin: 'cross' }));
    expect(r.symbol).toBe('BTCUSDT.P');
    expect(r.candles).toBe(1440);
    expect(r.roundTrips).toBeGreaterThan(0);
    expect(r.gridProfit).toBeGreaterThan(ZERO);
    const f = r.futures!;
    expect(f).toMatchObject({ mode: 'neutral', leverage: 3, margin: 'cross', liquidated: false });
    expect(f.settlements.length).toBeGreaterThan(0);
    for (const s of f.settlements) {
      expect([DAY + 8 * HOUR, DAY + 16 * HOUR]).toContain(s.time);
      expect(s.amount).not.toBe(ZERO);
    }
    expect(f.funding).not.toBe(ZERO);
    expectConsistent(r);
    const text = backtestText(r);
    expect(text).toContain('🧪 Backtest BTCUSDT.P');
    expect(text).toContain('Perpetual neutral x3 cross');
    expect(text).toContain('settlements (in the grid total)');
  });

  it('a long x5 grid holds its position through the day and pays or receives funding at each settlement’s rate', async () => {
    const r = await run(request({ mode: 'long', leverage: 5, margin: 'isolated' }));
    expect(r.roundTrips).toBeGreaterThan(0);
    const f = r.futures!;
    expect(f).toMatchObject({ mode: 'long', leverage: 5, margin: 'isolated', liquidated: false });
    // A long grid holds a position the whole day: both settlements inside it are paid (a positive rate) or received.
    expect(f.settlements.map((s) => s.time)).toEqual([DAY + 8 * HOUR, DAY + 16 * HOUR]);
    // The series' rates there (the file's 16:00 row is stamped 6 ms late, as Binance's are): a long pays a positive rate.
    expect(f.settlements.map((s) => s.rate)).toEqual([fx('0.00003636'), fx('-0.00002247')]);
    expect(f.settlements[0]!.amount < ZERO).toBe(true);
    expect(f.settlements[1]!.amount > ZERO).toBe(true);
    expectConsistent(r);
  });

  it('fees are the sum of the fills’ commissions at the futures account’s rates', async () => {
    const r = await run(request({ mode: 'neutral', leverage: 3, margin: 'cross' }));
    // A neutral grid opens nothing at market: every fill is a resting limit's, a maker's 0.02 % of its notional, half-even.
    const commissions = r.gridFills.reduce(
      (s, x) => s + fixed.mul(fixed.mul(x.price, x.quantity, 'halfEven'), fx('0.0002'), 'halfEven'),
      ZERO,
    );
    expect(r.fees).toBe(commissions);
  });

  it('two replays of the same request give the same report', async () => {
    const req = request({ mode: 'long', leverage: 5, margin: 'cross' });
    const a = await run(req);
    const b = await run(req);
    expect({ ...a, wallMs: 0 }).toEqual({ ...b, wallMs: 0 });
  });

  it('funding is a constant rate when one is given, and the sandbox’s 0.0001 when none is', async () => {
    const given = (await run(request({ mode: 'long', leverage: 5, margin: 'cross' }, fx('0.0003')))).futures!;
    expect(given.settlements.map((s) => s.rate)).toEqual([fx('0.0003'), fx('0.0003')]);
    // A long position pays a positive rate.
    expect(given.funding < ZERO).toBe(true);
    const { funding: _series, ...none } = request({ mode: 'long', leverage: 5, margin: 'cross' });
    const byDefault = (await run(none)).futures!;
    expect(byDefault.settlements.map((s) => s.rate)).toEqual([fx('0.0001'), fx('0.0001')]);
  });

  it('a short x20 isolated grid through a +6 % rally is liquidated: it stops there, worth what the venue left of its wallet', async () => {
    const params: GridParams = {
      symbol: 'BTCUSDT',
      levels: 5,
      spacingPct: fx('0.5'),
      amountQuote: fx('500'),
      spacing: 'arithmetic',
      futures: { mode: 'short', leverage: 20, margin: 'isolated' },
    };
    const r = await run({ ...request(params.futures!), params, candles: klines(['07', '08']) });
    const f = r.futures!;
    expect(f.liquidated).toBe(true);
    // Only the grid traded and the venue closed its position: the wallet moved by exactly the grid's total.
    expect(r.grid.totalPnl).toBe(f.walletEnd - f.wallet);
    expect(r.grid.totalPnl < ZERO).toBe(true);
    expectConsistent(r);
    expect(backtestText(r)).toContain('⚠️ The position was liquidated during the replay');
  });

  it('reads the perpetual’s klines and the funding rates from the history folder `telegrid data fetch --futures` fills', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'telegrid-history-'));
    try {
      const put = (from: string, to: string) => {
        mkdirSync(path.dirname(path.join(dir, to)), { recursive: true });
        copyFileSync(path.join(DATA, from), path.join(dir, to));
      };
      put('klines/BTCUSDT-1m-2025-05-05.csv', 'futures/um/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2025-05-05.csv');
      const day = parseDayRange('2025-05-05');
      if (!day.ok) throw new Error(day.error.message);
      const missing = historyFunding(dir, 'BTCUSDT', day.value);
      expect(missing.ok ? '' : missing.error.message).toContain(
        'fetch them with: telegrid data fetch BTCUSDT 2025-05-05 --kind fundingRate',
      );
      const spot = historyCandles(dir, 'BTCUSDT', '1m', day.value);
      expect(spot.ok ? '' : spot.error.message).toContain('telegrid data fetch BTCUSDT 1m 2025-05-05');
      put('fundingRate/BTCUSDT-fundingRate-2025-05.csv', 'futures/um/monthly/fundingRate/BTCUSDT/BTCUSDT-fundingRate-2025-05.csv');
      const candles = historyCandles(dir, 'BTCUSDT', '1m', day.value, 'futures');
      const funding = historyFunding(dir, 'BTCUSDT', day.value);
      if (!candles.ok || !funding.ok) throw new Error('history not read');
      const terms: FuturesGridTerms = { mode: 'neutral', leverage: 3, margin: 'cross' };
      const fromHistory = await run({ ...request(terms), candles: candles.value.candles, funding: funding.value });
      const direct = await run(request(terms));
      expect({ ...fromHistory, wallMs: 0 }).toEqual({ ...direct, wallMs: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
