import { type Fixed, type Result, parseFixed } from '../../domain/index.js';
import { type TapeFailure, tapeFailure } from './tape-source.js';

/** Binance writes µs times in spot files from 2025 on; any time above this is taken as µs (1e14 ms is the year 5138). */
const MICROS_THRESHOLD = 1e14;

/** A time field in ms, converting µs by integer division; undefined when it is not a non-negative integer. */
export function parseTimeMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) return undefined;
  return n > MICROS_THRESHOLD ? Math.floor(n / 1000) : n;
}

export function parseId(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** Binance dumps write True/False; recorders often 1/0. */
export function parseFlag(text: string | undefined): boolean | undefined {
  switch (text?.trim().toLowerCase()) {
    case 'true':
    case '1':
      return true;
    case 'false':
    case '0':
      return false;
    default:
      return undefined;
  }
}

export function parseAmount(text: string | undefined): Fixed | undefined {
  return text === undefined ? undefined : parseFixed(text);
}

/** The failure for one unreadable line, naming the line (1-based) and the field. */
export function badLine(line: number, what: string, text: string | undefined): Result<never, TapeFailure> {
  return tapeFailure('TAPE_BAD_LINE', `line ${line}: bad ${what} ${JSON.stringify(text ?? '')}`);
}

/** Splits CSV text into non-empty lines, tolerating CRLF. Quoting is not needed: Binance CSVs never quote. */
export function csvLines(text: string): string[] {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as string;
    if (l.endsWith('\r')) lines[i] = l.slice(0, -1);
  }
  while (lines.length > 0 && (lines[lines.length - 1] as string).trim() === '') lines.pop();
  return lines;
}
