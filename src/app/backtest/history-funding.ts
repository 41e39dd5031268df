import { existsSync } from 'node:fs';
import { type FundingRateSeries, type Result, failure } from '../../domain/index.js';
import { type DayRange, archiveFiles, loadFundingRates } from '../../history/index.js';

/**
 * The USD-M funding rates of `symbol` for the months `range` touches, from the history folder (`telegrid data fetch
 * SYMBOL FROM..TO --kind fundingRate`, a file a month, zip or CSV), joined into one series for a futures backtest.
 * A month without its file is a refusal that says the command fetching it: a replay without the rates would settle
 * nothing on those days, silently.
 */
export function historyFunding(historyDir: string, symbol: string, range: DayRange): Result<FundingRateSeries> {
  const files = archiveFiles({ symbol, market: 'futures', kind: 'fundingRate', days: range }, historyDir);
  const paths: string[] = [];
  const missing: string[] = [];
  for (const f of files) {
    const path = [f.localPath, f.localPath.replace(/\.zip$/, '.csv')].find((p) => existsSync(p));
    if (path === undefined) missing.push(f.period);
    else paths.push(path);
  }
  if (missing.length > 0) {
    const days = range.from === range.to ? range.from : `${range.from}..${range.to}`;
    return failure(
      'NO_FUNDING_HISTORY',
      `no funding rates of ${symbol} for ${missing.join(', ')} in the history folder (${historyDir}); ` +
        `fetch them with: telegrid data fetch ${symbol} ${days} --kind fundingRate`,
    );
  }
  return loadFundingRates(paths);
}
