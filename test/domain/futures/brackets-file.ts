import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type SymbolBrackets, parseLeverageBrackets } from '../../../src/domain/index.js';

/** Binance's published brackets, read from ../shared/data at test time (never copied into the repository). */
const BRACKETS_FILE = resolve(
  fileURLToPath(new URL('.', import.meta.url)),
  '../../../../shared/data/futures/um/json/BTCUSDT-ETHUSDT-leverageBracket.json',
);

export function realBracketsJson(): unknown {
  return JSON.parse(readFileSync(BRACKETS_FILE, 'utf8')) as unknown;
}

export function btcBrackets(): SymbolBrackets {
  const btc = parseLeverageBrackets(realBracketsJson()).find((s) => s.symbol === 'BTCUSDT');
  if (btc === undefined) throw new Error(`no BTCUSDT in ${BRACKETS_FILE}`);
  return btc;
}
