import { FundingRateSeries, type Result } from '../domain/index.js';
import { type HistoryFailure, historyFailure } from './history-failure.js';
import { readHistoryText } from './read-archive.js';

/**
 * Reads data.binance.vision's monthly fundingRate files (`calc_time,funding_interval_hours,last_funding_rate`), zip or
 * CSV, consecutive months in the order given, into the series the sandbox replays. The domain's parser checks every
 * row (time on a settlement boundary, rate exact to 8 places, each after the last); a bad one refuses the files as
 * `file:line: what is wrong`.
 */
export function loadFundingRates(paths: string | readonly string[]): Result<FundingRateSeries, HistoryFailure> {
  const files: { name: string; text: string }[] = [];
  for (const path of typeof paths === 'string' ? [paths] : paths) {
    const text = readHistoryText(path);
    if (!text.ok) return text;
    files.push({ name: path, text: text.value });
  }
  const series = FundingRateSeries.fromFiles(files);
  if (series.ok) return series;
  // The domain says `file line N: …`; every loader here says `file:N: …`.
  const at = /^(.*?) line (\d+): (.*)$/s.exec(series.error.message);
  return historyFailure('FUNDING_RATE_CSV', at ? `${at[1]}:${at[2]}: ${at[3]}` : series.error.message);
}
