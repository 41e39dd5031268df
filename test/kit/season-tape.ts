/**
 * The season replay's market: Binance kline files (spot hourly, or USD-M 1-minute used as a spot-like tape) turned
 * into trades. The rule is the sandbox's own (expandKline): a bar that closed up trades open → low → high → close,
 * one that closed down open → high → low → close, at +0, ¼, ½ and the end of the bar, its volume split exactly.
 * With that path every level between the bar's low and high is crossed once each way a grid can use it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Fixed, type TradeTick, catalogInstrument } from '../../src/domain/index.js';
import { expandKline, parseKline } from '../../src/sandbox/index.js';

/** ../shared/data beside the repository, where every test and soak reads Binance data from (never copied in). */
const SHARED_DATA = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../shared/data');

/** The 12 months of hourly spot BTCUSDT (2023-04 … 2024-03, 25k → 73k). */
export function spotHourlyYear(months = 12): string[] {
  const dir = join(SHARED_DATA, 'spot/klines');
  const files = readdirSync(dir)
    .filter((f) => /^BTCUSDT-1h-(2023-(0[4-9]|1[0-2])|2024-0[1-3])\.csv$/.test(f))
    .sort()
    .map((f) => join(dir, f));
  if (files.length !== 12) throw new Error(`expected 12 hourly files 2023-04…2024-03 in ${dir}, found ${files.length}`);
  return files.slice(0, months);
}

/** The 14 days of 1-minute USD-M BTCUSDT (2025-05-05 … 05-18), replayed as a spot-like tape. */
export function futuresMinuteDays(days = 14): string[] {
  const dir = join(SHARED_DATA, 'futures/um/klines');
  const files = readdirSync(dir)
    .filter((f) => /^BTCUSDT-1m-2025-05-\d\d\.csv$/.test(f))
    .sort()
    .map((f) => join(dir, f));
  if (files.length !== 14) throw new Error(`expected 14 one-minute files in ${dir}, found ${files.length}`);
  return files.slice(0, days);
}

/** Every bar of `files` (in order) as trades on `symbol`; a header row (futures files carry one) is skipped. */
export function klineTrades(files: readonly string[], symbol = 'BTCUSDT'): TradeTick[] {
  const tickSize = catalogInstrument(symbol)?.filters.priceFilter.tickSize as Fixed;
  const state = { price: undefined as Fixed | undefined, isBuyerMaker: false };
  const out: TradeTick[] = [];
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      const text = line.trim();
      if (text === '' || /^[a-z_]/i.test(text)) return;
      const k = parseKline(text.split(','), i + 1);
      if (!k.ok) throw new Error(`${file}: ${k.error.message}`);
      expandKline(k.value, symbol, { pathSteps: 0, tickSize }, state, out);
    });
  }
  return out;
}

/** One day of 1-minute BTCUSDT, 2020-01-01 (7175 … 7255), issue 12's futures grid day. */
export function minuteDay2020(): string {
  return join(SHARED_DATA, 'BTCUSDT-1m-2020-01-01.csv');
}
