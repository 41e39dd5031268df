import { beforeAll, describe, expect, it } from 'vitest';
import { type BacktestReport, runBacktest } from '../../src/app/backtest/index.js';
import { loadConfig } from '../../src/app/config.js';
import { riskLimitsOf } from '../../src/app/trading-kernel.js';
import { type GridRoundTrip, type Instrument, catalogInstrument, fx } from '../../src/domain/index.js';
import { loadCandles } from '../../src/history/index.js';
import type { GridParams } from '../../src/strategy/index.js';
import type { LedgerFill } from '../kit/season-ledger.js';
import { SEASON_RISK, type SeasonResult, runSeason } from '../kit/season-run.js';
import { klineTrades, minuteDay2020 } from '../kit/season-tape.js';

/**
 * The backtest's promise: replaying a grid over candles books what paper mode books on the same tape. One day of
 * 1-minute BTCUSDT (2020-01-01, 7175 … 7255) runs twice: through the running bot in paper mode (the real adapter on a
 * sandbox over loopback, the real Redis and BullMQ pipeline, the grid typed in the chat), and through runBacktest with
 * the same grid, fees, limits and account. Every fill, every round trip and the grid's profit must be the same, to the
 * last unit of Fixed.
 *
 * At 0.1 % the grid trades 85 round trips that day, and each loses: a trip's two 0.1 % fees weigh more than its 0.1 %
 * rise, so the fees are under test as much as the matching.
 */
const COMMAND = '/grid BTCUSDT 10 0.1 100';
/** What the chat makes of COMMAND (the test checks that the bot's grid runs with exactly these). */
const PARAMS: GridParams = { symbol: 'BTCUSDT', levels: 10, spacingPct: fx('0.1'), amountQuote: fx('100'), spacing: 'arithmetic' };
const BALANCES = { USDT: fx('100000') };
const btc = catalogInstrument('BTCUSDT') as Instrument;

let season: SeasonResult;
let paperTrips: readonly GridRoundTrip[] = [];
let paperFills: readonly LedgerFill[] = [];
let paperParams: GridParams | undefined;
let report: BacktestReport;
const backtestTrips: GridRoundTrip[] = [];

/** A round trip without the grid id each run names on its own. */
const trip = ({ gridId: _, ...rest }: GridRoundTrip) => rest;

describe(`a backtest of ${COMMAND} over 2020-01-01's minutes`, () => {
  beforeAll(async () => {
    season = await runSeason({
      name: 'backtest-vs-paper',
      trades: klineTrades([minuteDay2020()]),
      grids: [{ label: 'arithmetic', command: COMMAND }],
      balances: BALANCES,
      restartEveryMs: 365 * 86_400_000,
      inspect: async (end) => {
        paperTrips = [...end.trips];
        paperFills = end.ledger.fills.filter((f) => f.gridId !== undefined);
        paperParams = end.app.kernel.grids.exportGrid(end.grids[0]?.gridId ?? '')?.params;
      },
    });

    // The settings the season's bot ran with: the paper defaults' fees and the season's limits.
    const config = loadConfig({ TRADING_MODE: 'paper', ...SEASON_RISK });
    if (!config.ok) throw new Error(config.message);
    const loaded = loadCandles(minuteDay2020());
    if (!loaded.ok) throw new Error(loaded.error.message);
    const ran = await runBacktest({
      params: PARAMS,
      instrument: btc,
      candles: loaded.value.candles,
      interval: '1m',
      fees: { maker: config.config.MAKER_FEE, taker: config.config.TAKER_FEE },
      limits: riskLimitsOf(config.config, 0),
      balances: BALANCES,
      onRoundTrip: (t) => backtestTrips.push(t),
    });
    if (!ran.ok) throw new Error(ran.error.message);
    report = ran.value;
  }, 600_000);

  it('replays the whole day in paper mode with no problem, and the grid trades many round trips', () => {
    expect(season.problems).toEqual([]);
    expect(season.restarts).toBe(0);
    expect(paperParams).toEqual(PARAMS);
    expect(season.grids[0]?.roundTrips).toBeGreaterThan(20);
    expect(report.denied).toEqual({});
  });

  it('fills the same orders, at the same prices, quantities and times, paying the same fees', () => {
    // A limit fills on a trade of the tape, at that trade's time. The opening market buy fills when the confirmed grid
    // reaches the exchange: in the backtest at the first trade; in the replay at whatever market time the kit let pass
    // while the bot answered (it runs market time on for a bot slower than 100 ms, so a loaded machine moves it).
    const onTape = (fills: readonly { time: number; side: string; price: bigint; quantity: bigint }[], kinds: readonly string[]) =>
      fills.map((f, i) => ({ side: f.side, price: f.price, quantity: f.quantity, time: kinds[i] === 'MARKET' ? 'start' : f.time }));
    const kinds = paperFills.map((f) => f.type);
    expect(kinds.filter((k) => k === 'MARKET')).toHaveLength(1);
    expect(kinds[0]).toBe('MARKET');
    expect(onTape(report.gridFills, kinds)).toEqual(onTape(paperFills, kinds));
    expect(report.gridFills[0]?.time).toBe(report.from);
    expect(paperFills[0]?.time).toBeGreaterThanOrEqual(report.from);
    expect(report.fills).toBe(paperFills.length);
    expect(report.fees).toBe(paperFills.reduce((s, f) => s + f.feeQuote, 0n));
  });

  it('books exactly the same round trips, in the same order', () => {
    expect(backtestTrips.map(trip)).toEqual(paperTrips.map(trip));
    expect(report.roundTrips).toBe(paperTrips.length);
    expect(report.roundTrips).toBe(season.grids[0]?.roundTrips);
  });

  it("books the same grid profit as the bot's /grids", () => {
    expect(report.gridProfit).toBe(season.grids[0]?.gridProfit);
    expect(report.gridProfit).toBe(paperTrips.reduce((s, t) => s + t.profit, 0n));
  });
});
