import { resolve } from 'node:path';
import { formatPct, money, savePicture } from '../chat/index.js';
import { intervalName } from '../charts/index.js';
import { type Candle, type Failure, type Fixed, type Instrument, type Result, catalogInstrument, failure, ok } from '../domain/index.js';
import { type DayRange, loadCandles } from '../history/index.js';
import { DEFAULT_FUTURES_FEES } from '../sandbox/futures/index.js';
import {
  type BacktestReport,
  type BacktestRequest,
  backtestPicture,
  backtestText,
  historyCandles,
  honestyLine,
  rankByReturn,
  runBacktest,
  sweepTable,
} from './backtest/index.js';
import type { BacktestArgs } from './backtest-args.js';
import { backtestFunding } from './backtest-funding.js';
import type { Config } from './config.js';
import { riskLimitsOf } from './trading-kernel.js';

/** Exit codes: a report; no candles to replay; bad arguments, files or a grid that cannot be placed. */
const EXIT = { done: 0, noData: 1, usage: 2 } as const;
/** Candles between two progress lines of one replay, at the least. */
const PROGRESS_AT_LEAST = 5_000;
/** Rows of a sweep's table. */
const SWEEP_TOP = 10;

export interface BacktestIo {
  out(line: string): void;
  err(line: string): void;
}

/** The candles to replay and what is missing from them, said before the report. */
interface Tape {
  readonly candles: readonly Candle[];
  readonly interval: string;
  readonly notes: readonly string[];
}

/**
 * Runs `telegrid backtest`: the grid (or every grid of a sweep) replayed over the candles, the report printed and its
 * picture saved into CHART_DIR (numbered, never over an earlier one), the last thing it does. Ctrl-C is left to its
 * default, ending the process at once: a replay never yields to the event loop, so a handler would run only at its end.
 */
export async function runBacktestCommand(args: BacktestArgs, config: Config, io: BacktestIo): Promise<number> {
  const instrument = catalogInstrument(args.symbol) as Instrument;
  const tape = args.files.length > 0 ? fileTape(args) : historyTape(args, config);
  if (!tape.ok) {
    io.err(`telegrid backtest: ${tape.error.message}`);
    return tape.error.code === 'NO_HISTORY' ? EXIT.noData : EXIT.usage;
  }
  const { candles, interval } = tape.value;
  for (const note of tape.value.notes) io.out(note);
  const futures = args.futures === undefined ? undefined : futuresTerms(args, config, candles);
  if (futures !== undefined && !futures.ok) {
    io.err(`telegrid backtest: ${futures.error.message}`);
    return EXIT.usage;
  }
  for (const note of futures?.value.notes ?? []) io.out(note);
  const amount = args.amount ?? config.GRID_DEFAULT_AMOUNT;
  const q = instrument.quoteAsset;
  // The perpetual's minimum notional is the contract's, not spot's filter: its preview names it when a level is below.
  const least = futures === undefined ? instrument.filters.minNotional?.minNotional : undefined;
  const sizing =
    `AMOUNT ${money(amount)} ${q} a level${args.amount === undefined ? ' (GRID_DEFAULT_AMOUNT)' : ''}` +
    (least === undefined ? '' : `; an order on ${args.symbol} must be worth at least ${money(least)} ${q}`);
  const request = (levels: number, spacingPct: Fixed): BacktestRequest => ({
    params: {
      symbol: args.symbol,
      levels,
      spacingPct,
      amountQuote: amount,
      spacing: args.spacing,
      ...(args.futures === undefined ? {} : { futures: args.futures }),
    },
    instrument,
    candles,
    interval,
    fees: futures === undefined ? { maker: config.MAKER_FEE, taker: config.TAKER_FEE } : DEFAULT_FUTURES_FEES,
    ...(futures === undefined ? {} : { funding: futures.value.funding }),
    // The replay's clock is the candles' own, so the staleness rule is off whatever RISK_STALE_AFTER_SECONDS says.
    limits: riskLimitsOf(config, 0),
  });
  const picture = async (report: BacktestReport, words: string) => {
    const drawn = await backtestPicture(report, candles, instrument.filters.priceFilter.tickSize);
    io.out(`${words}: ${await savePicture(config.CHART_DIR, drawn.filename, drawn.png)}`);
  };

  if (args.grids.kind === 'one') {
    // A tenth at a time on stderr (a month of minutes takes seconds, a year a minute or more); a day says nothing.
    const every = Math.max(PROGRESS_AT_LEAST, Math.ceil(candles.length / 10));
    const progress = (done: number, all: number) => io.err(`replayed ${done} of ${all} candles`);
    const result = await runBacktest({ ...request(args.grids.levels, args.grids.spacingPct), progress, progressEvery: every });
    if (!result.ok) return refused(result.error, io, sizing);
    io.out(backtestText(result.value));
    await picture(result.value, 'picture');
    return EXIT.done;
  }

  const { levels, spacings, words } = args.grids;
  const total = levels.length * spacings.length;
  const first = candles[0] as Candle;
  const last = candles.at(-1) as Candle;
  const terms = args.futures === undefined ? '' : `, ${args.futures.mode} x${args.futures.leverage} ${args.futures.margin}`;
  io.out(
    `🧪 Sweep ${args.symbol}${terms}: ${total} grids (${words}, ${args.spacing}), ${money(amount)} ` +
      `${q} a level, ${candles.length} ${interval} candles, ${minute(first.openTime)} → ${minute(last.closeTime)} UTC`,
  );
  const reports: BacktestReport[] = [];
  const unplaced: string[] = [];
  let n = 0;
  for (const l of levels) {
    for (const s of spacings) {
      const result = await runBacktest(request(l, s));
      n++;
      if (!result.ok) {
        if (DATA_CODES.has(result.error.code)) return refused(result.error, io);
        unplaced.push(`${l} × ${formatPct(s)} %: ${result.error.message}`);
        io.err(`${n}/${total} ${l} × ${formatPct(s)} %: cannot be placed`);
        continue;
      }
      reports.push(result.value);
      io.err(`${n}/${total} ${l} × ${formatPct(s)} %: done`);
    }
  }
  const ranked = rankByReturn(reports);
  const best = ranked[0];
  if (best === undefined) {
    io.err(`telegrid backtest: no grid of the sweep can be placed; the first: ${unplaced[0] as string} (${sizing})`);
    return EXIT.usage;
  }
  if (unplaced.length > 0)
    io.out(`⚠️ ${unplaced.length} of ${total} grids cannot be placed; the first: ${unplaced[0] as string} (${sizing})`);
  for (const line of sweepTable(ranked, SWEEP_TOP)) io.out(line);
  io.out(honestyLine(best));
  await picture(best, 'picture of the best');
  return EXIT.done;
}

/**
 * A futures grid's funding and fees, with the lines that say them. The fees are Binance's USD-M regular tier, the
 * paper futures venue's own (MAKER_FEE and TAKER_FEE are spot's, ten times a perpetual's maker fee by default).
 */
function futuresTerms(args: BacktestArgs, config: Config, candles: readonly Candle[]) {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const days = { from: day((candles[0] as Candle).openTime), to: day((candles.at(-1) as Candle).openTime) };
  const funding = backtestFunding(args, config.HISTORY_DIR, days);
  if (!funding.ok) return funding;
  const pct = (f: Fixed) => `${formatPct(f * 100n)} %`;
  const fees =
    `fees: maker ${pct(DEFAULT_FUTURES_FEES.maker)}, taker ${pct(DEFAULT_FUTURES_FEES.taker)}, USD-M's regular tier ` +
    "as the paper futures venue charges (MAKER_FEE and TAKER_FEE are spot's)";
  return ok({ funding: funding.value.funding, notes: [...funding.value.notes, fees] });
}

/** Failures of the tape rather than of the grid: nothing to replay. */
const DATA_CODES = new Set(['NO_CANDLES', 'NO_TRADES']);

/** `hint` says what the grid was sized with, so the owner sees which argument to change. */
function refused(error: Failure, io: BacktestIo, hint?: string): number {
  if (DATA_CODES.has(error.code)) {
    io.err(`telegrid backtest: ${error.message}`);
    return EXIT.noData;
  }
  io.err(`telegrid backtest: the grid cannot be placed: ${error.message}${hint ? ` (${hint})` : ''}`);
  return EXIT.usage;
}

const minute = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

function historyTape(args: BacktestArgs, config: Config): Result<Tape> {
  const interval = args.interval ?? '1m';
  // The arguments require from= when no file is given.
  const days = args.days as DayRange;
  const market = args.futures === undefined ? 'spot' : 'futures';
  const loaded = historyCandles(config.HISTORY_DIR, args.symbol, interval, days, market);
  if (!loaded.ok) return loaded;
  const { candles, missingDays, missingCandles } = loaded.value;
  const notes = [
    ...(missingDays.length > 0
      ? [
          `⚠️ No file in ${config.HISTORY_DIR} for ${missingDays.join(', ')}: replayed without ` +
            `(telegrid data fetch ${args.symbol} ${interval} ${days.from}..${days.to}${market === 'futures' ? ' --futures' : ''} ` +
            'fetches what is missing)',
        ]
      : []),
    ...gapNote(missingCandles),
  ];
  return ok({ candles, interval, notes });
}

/**
 * The files' candles in time order. Files may come in any order but must hold one interval and must not overlap (a
 * candle twice would be traded twice); from= and to= keep the UTC days from and up to them.
 */
function fileTape(args: BacktestArgs): Result<Tape> {
  const loaded: { path: string; candles: readonly Candle[] }[] = [];
  for (const path of args.files) {
    const file = loadCandles(resolve(path));
    if (!file.ok) return failure('BAD_FILE', `file=${path}: ${file.error.message}`);
    loaded.push({ path, candles: file.value.candles });
  }
  loaded.sort((a, b) => (a.candles[0] as Candle).openTime - (b.candles[0] as Candle).openTime);
  const intervalMs = (c: readonly Candle[]) => (c[0] as Candle).closeTime + 1 - (c[0] as Candle).openTime;
  const ms = intervalMs((loaded[0] as (typeof loaded)[number]).candles);
  const candles: Candle[] = [];
  let previous: (typeof loaded)[number] | undefined;
  for (const f of loaded) {
    if (intervalMs(f.candles) !== ms)
      return failure(
        'BAD_FILE',
        `file=${f.path} holds ${intervalName(intervalMs(f.candles))} candles, file=${loaded[0]?.path} ` +
          `${intervalName(ms)}: give files of one interval`,
      );
    const end = candles.at(-1);
    if (previous !== undefined && end !== undefined && (f.candles[0] as Candle).openTime <= end.closeTime)
      return failure('BAD_FILE', `file=${f.path} overlaps file=${previous.path}: each candle may be given once`);
    candles.push(...f.candles);
    previous = f;
  }
  const interval = intervalName(ms);
  if (args.interval !== undefined && args.interval !== interval)
    return failure('BAD_FILE', `interval=${args.interval}, but the files hold ${interval} candles: leave interval= out with file=`);
  const { from, to } = args.days;
  const since = from === undefined ? -Infinity : Date.parse(`${from}T00:00:00Z`);
  const until = to === undefined ? Infinity : Date.parse(`${to}T00:00:00Z`) + 86_400_000;
  const kept = candles.filter((c) => c.openTime >= since && c.openTime < until);
  if (kept.length === 0)
    return failure(
      'BAD_FILE',
      `no candle of the files falls in ${[from && `from=${from}`, to && `to=${to}`].filter(Boolean).join(' ')}: they hold ` +
        `${minute((candles[0] as Candle).openTime)} → ${minute((candles.at(-1) as Candle).closeTime)} UTC`,
    );
  let missing = 0;
  for (let i = 1; i < kept.length; i++) missing += Math.round(((kept[i] as Candle).openTime - (kept[i - 1] as Candle).closeTime - 1) / ms);
  return ok({ candles: kept, interval, notes: gapNote(missing) });
}

function gapNote(missing: number): string[] {
  return missing > 0 ? [`⚠️ ${missing} candles missing inside the data (Binance's own gaps, maintenance): the replay steps over them`] : [];
}
