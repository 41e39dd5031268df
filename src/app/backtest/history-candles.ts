import { existsSync } from 'node:fs';
import { type Candle, type Result, failure, ok } from '../../domain/index.js';
import { type DayRange, archiveFiles, loadCandles } from '../../history/index.js';

export interface HistoryCandles {
  readonly candles: readonly Candle[];
  /** Days in the range with no file in the history folder (fetch them with `telegrid data fetch`). */
  readonly missingDays: readonly string[];
  /** Candles missing inside the files (Binance's own gaps: exchange maintenance), summed. */
  readonly missingCandles: number;
}

/**
 * The klines of `symbol` at `interval` for the days of `range`, from the history folder `telegrid data fetch` fills
 * (data.binance.vision's layout, zip or CSV): spot's, or with `market` 'futures' the USD-M perpetual's (fetched with
 * `--futures`). Days without a file are skipped and named; no file at all is a refusal that says the command that
 * fetches them.
 */
export function historyCandles(
  historyDir: string,
  symbol: string,
  interval: string,
  range: DayRange,
  market: 'spot' | 'futures' = 'spot',
): Result<HistoryCandles> {
  const files = archiveFiles({ symbol, market, kind: 'klines', interval, days: range }, historyDir);
  const candles: Candle[] = [];
  const missingDays: string[] = [];
  let missingCandles = 0;
  for (const f of files) {
    const path = [f.localPath, f.localPath.replace(/\.zip$/, '.csv')].find((p) => existsSync(p));
    if (path === undefined) {
      missingDays.push(f.period);
      continue;
    }
    const loaded = loadCandles(path);
    if (!loaded.ok) return loaded;
    candles.push(...loaded.value.candles);
    missingCandles += loaded.value.gaps.reduce((s, g) => s + g.missing, 0);
  }
  if (candles.length === 0) {
    const days = range.from === range.to ? range.from : `${range.from}..${range.to}`;
    const futures = market === 'futures';
    return failure(
      'NO_HISTORY',
      `no ${interval} ${futures ? 'USD-M futures ' : ''}candles of ${symbol} for ${days} in the history folder (${historyDir}); ` +
        `fetch them with: telegrid data fetch ${symbol} ${interval} ${days}${futures ? ' --futures' : ''}`,
    );
  }
  return ok({ candles, missingDays, missingCandles });
}
