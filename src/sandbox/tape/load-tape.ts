import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Result } from '../../domain/index.js';
import { type TapeCsvOptions, parseTapeCsv } from './csv-replay.js';
import { type ArrayTape, type TapeFailure, tapeFailure } from './tape-source.js';

/** Reads a Binance CSV tape from disk (synchronously: dumps are about a megabyte) and parses it with parseTapeCsv. */
export function loadTape(path: string, options: Omit<TapeCsvOptions, 'fileName'> = {}): Result<ArrayTape, TapeFailure> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return tapeFailure('TAPE_UNREADABLE', `cannot read tape ${path}: ${(e as Error).message}`);
  }
  return parseTapeCsv(text, { ...options, fileName: basename(path) });
}
