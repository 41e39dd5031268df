import { basename } from 'node:path';
import { type Result, type TradeTick, ok } from '../domain/index.js';
import { parseTapeCsv } from '../sandbox/index.js';
import { type HistoryFailure, badRow, historyFailure } from './history-failure.js';
import { readHistoryText } from './read-archive.js';

/**
 * Reads a trade file: data.binance.vision's `trades` or `aggTrades` (spot without a header, futures with one), zip or
 * CSV, or a recorded `@trade` stream; ms or µs times; exact prices and quantities; in time order. The rows are read by
 * the sandbox's tape parser, so a file replays in the sandbox exactly as it loads here. A row that is not a trade
 * (a zero price, a bad field) refuses the file as `file:line: what is wrong`; kline files are refused (loadCandles).
 */
export function loadTrades(path: string): Result<readonly TradeTick[], HistoryFailure> {
  const text = readHistoryText(path);
  if (!text.ok) return text;
  const first = text.value.split('\n', 1)[0] ?? '';
  if (first.trim().toLowerCase().startsWith('open_time,') || (/^\d/.test(first) && first.split(',').length === 12))
    return historyFailure('HISTORY_BAD_ARCHIVE', `${path} is a kline file, not trades: read it with loadCandles`);
  // The symbol of a file without a symbol column comes from its name, as Binance names them (BTCUSDT-trades-…).
  const tape = parseTapeCsv(text.value, { fileName: basename(path) });
  if (!tape.ok) {
    const line = /^line (\d+): /.exec(tape.error.message)?.[1];
    return line === undefined
      ? historyFailure('HISTORY_BAD_ROW', `${path}: ${tape.error.message}`)
      : badRow(path, Number(line), tape.error.message);
  }
  return ok(tape.value.ticks);
}
