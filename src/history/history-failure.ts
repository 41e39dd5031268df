import type { Failure } from '../domain/index.js';

export type HistoryFailureCode =
  'HISTORY_BAD_REQUEST' | 'HISTORY_UNREACHABLE' | 'HISTORY_UNREADABLE' | 'HISTORY_BAD_ARCHIVE' | 'HISTORY_BAD_ROW' | 'FUNDING_RATE_CSV';

export interface HistoryFailure extends Failure {
  readonly code: HistoryFailureCode;
}

export function historyFailure(code: HistoryFailureCode, message: string): { readonly ok: false; readonly error: HistoryFailure } {
  return { ok: false, error: { code, message } };
}

/**
 * A refused row as `file:line: what is wrong`. The sandbox's row parsers say `line N: …` (they never know the file);
 * that prefix is replaced so the line is named once.
 */
export function badRow(file: string, line: number, message: string): { readonly ok: false; readonly error: HistoryFailure } {
  const prefix = `line ${line}: `;
  return historyFailure('HISTORY_BAD_ROW', `${file}:${line}: ${message.startsWith(prefix) ? message.slice(prefix.length) : message}`);
}
