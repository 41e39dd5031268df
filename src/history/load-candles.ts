import { type Candle, type Result, ok } from '../domain/index.js';
import { csvLines, parseKline } from '../sandbox/index.js';
import { type HistoryFailure, badRow } from './history-failure.js';
import { readHistoryText } from './read-archive.js';

/** Candles missing between two rows: every interval from `from` up to (not including) `until`, both open times in ms. */
interface CandleGap {
  readonly from: number;
  readonly until: number;
  /** How many candles of the file's interval fit there. */
  readonly missing: number;
}

export interface CandleFile {
  readonly candles: readonly Candle[];
  /** In time order; empty when every row follows the one before it. */
  readonly gaps: readonly CandleGap[];
}

/**
 * Reads a kline file (data.binance.vision's zip as downloaded, or its CSV): times in ms or µs (spot from 2025 on),
 * a header row or none (futures files have one, spot files do not). Every value is exact. A malformed row, or one
 * that does not come after the row before it, refuses the file as `file:line: what is wrong`: a candle file with a row
 * silently dropped would read as a gap that never happened, or hide one.
 * Gaps are reported, never filled: Binance's own files have them (exchange maintenance), and a backtest must know.
 */
export function loadCandles(path: string): Result<CandleFile, HistoryFailure> {
  const text = readHistoryText(path);
  if (!text.ok) return text;
  const lines = csvLines(text.value);
  if (lines.length === 0) return badRow(path, 1, 'the file is empty');
  const header = /^\s*[A-Za-z_]/.test(lines[0] as string);
  if (header && !(lines[0] as string).trim().toLowerCase().startsWith('open_time,'))
    return badRow(path, 1, `not a kline file: the header is "${(lines[0] as string).slice(0, 80)}", expected open_time,open,high,…`);
  const candles: Candle[] = [];
  const gaps: CandleGap[] = [];
  for (let i = header ? 1 : 0; i < lines.length; i++) {
    const parsed = parseKline((lines[i] as string).split(','), i + 1);
    if (!parsed.ok) return badRow(path, i + 1, parsed.error.message);
    const candle = parsed.value;
    const previous = candles[candles.length - 1];
    if (previous !== undefined) {
      const expected = previous.closeTime + 1;
      if (candle.openTime < expected)
        return badRow(path, i + 1, `open time ${iso(candle.openTime)} is not after the previous row's close ${iso(previous.closeTime)}`);
      if (candle.openTime > expected) {
        const interval = previous.closeTime - previous.openTime + 1;
        gaps.push({ from: expected, until: candle.openTime, missing: Math.round((candle.openTime - expected) / interval) });
      }
    }
    candles.push(candle);
  }
  if (candles.length === 0) return badRow(path, lines.length, 'no candles after the header');
  return ok({ candles, gaps });
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
