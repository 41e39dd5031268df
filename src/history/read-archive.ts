import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { type Result, ok } from '../domain/index.js';
import { type HistoryFailure, historyFailure } from './history-failure.js';

/**
 * The CSV text of a history file: a data.binance.vision zip (it holds one CSV) as downloaded, or a CSV. Read whole
 * and synchronously: a day of klines is a few hundred KB (a day of a busy pair's trades can exceed what one string holds).
 */
export function readHistoryText(path: string): Result<string, HistoryFailure> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    return historyFailure('HISTORY_UNREADABLE', `cannot read ${path}: ${(e as Error).message}`);
  }
  if (path.toLowerCase().endsWith('.zip')) {
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(bytes, { filter: (f) => f.name.toLowerCase().endsWith('.csv') });
    } catch (e) {
      return historyFailure('HISTORY_BAD_ARCHIVE', `${path} is not a readable zip: ${(e as Error).message}`);
    }
    const names = Object.keys(entries);
    if (names.length !== 1)
      return historyFailure('HISTORY_BAD_ARCHIVE', `${path} holds ${names.length} CSV files; a data.binance.vision zip holds one`);
    bytes = entries[names[0] as string] as Uint8Array;
  }
  return ok(new TextDecoder().decode(bytes));
}
