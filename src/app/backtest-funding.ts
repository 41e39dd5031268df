import { resolve } from 'node:path';
import { type Fixed, FundingRateSeries, type Result, failure, format, ok } from '../domain/index.js';
import { type DayRange, loadFundingRates } from '../history/index.js';
import { DEFAULT_FUNDING_RATE } from '../sandbox/futures/index.js';
import { historyFunding } from './backtest/index.js';
import type { BacktestArgs } from './backtest-args.js';

/** The funding a futures backtest settles, and the line that says where it came from (printed above the report). */
export interface BacktestFundingChoice {
  readonly funding: Fixed | FundingRateSeries;
  readonly notes: readonly string[];
}

/** A series' first row may be stamped a few ms after its settlement, as Binance's are: a minute of slack. */
const STAMP_SLACK_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * funding=PATH's rates, funding-rate=RATE, else the rates of HISTORY_DIR's fundingRate files for the replayed days,
 * else the sandbox's constant (said, with the command that fetches the files: a replay should not pass off a
 * constant as the market's rates).
 */
export function backtestFunding(args: BacktestArgs, historyDir: string, days: DayRange): Result<BacktestFundingChoice> {
  const given = args.funding;
  if (given?.kind === 'rate')
    return ok({ funding: given.rate, notes: [`funding: constant ${format(given.rate)} per 8 h (funding-rate=)`] });
  if (given?.kind === 'files') {
    const series = loadFundingRates(given.paths.map((p) => resolve(p)));
    if (!series.ok) return failure('BAD_FILE', `funding=: ${series.error.message}`);
    return ok({ funding: series.value, notes: [`funding: the rates of ${given.paths.join(', ')}`, ...coverage(series.value, days)] });
  }
  const history = historyFunding(historyDir, args.symbol, days);
  if (history.ok) return ok({ funding: history.value, notes: [`funding: ${months(days).join(', ')} rates from ${historyDir}`] });
  if (history.error.code !== 'NO_FUNDING_HISTORY') return history;
  const span = days.from === days.to ? days.from : `${days.from}..${days.to}`;
  return ok({
    funding: DEFAULT_FUNDING_RATE,
    notes: [
      `funding: constant ${format(DEFAULT_FUNDING_RATE)} per 8 h (no rate file for these days in ${historyDir}; ` +
        `telegrid data fetch ${args.symbol} ${span} --kind fundingRate fetches them)`,
    ],
  });
}

/** A warning when the given rates do not reach over the replayed days: no funding settles where a series has no row. */
function coverage(series: FundingRateSeries, days: DayRange): string[] {
  const rows = series.rows();
  const first = (rows[0] as (typeof rows)[number]).fundingTime;
  const last = (rows.at(-1) as (typeof rows)[number]).fundingTime;
  const start = Date.parse(`${days.from}T00:00:00Z`);
  const lastSettlement = Date.parse(`${days.to}T00:00:00Z`) + DAY_MS - (rows.at(-1)?.intervalHours ?? 8) * 3_600_000;
  if (first <= start + STAMP_SLACK_MS && last >= lastSettlement) return [];
  const minute = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  return [`⚠️ the funding rates run ${minute(first)} → ${minute(last)} UTC only: no funding settles outside them`];
}

/** The months (YYYY-MM) the days touch, a rate file each. */
function months(days: DayRange): string[] {
  const all: string[] = [];
  let [y, m] = days.from.split('-').map(Number) as [number, number];
  const end = days.to.slice(0, 7);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    all.push(month);
    if (month >= end) return all;
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
}
