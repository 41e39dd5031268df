import { perpetualSymbol } from '../../domain/index.js';
import { text } from '../binance/index.js';

export { Bad, type Mapped, type Obj, arr, attempt, bool, dec, decOrNumber, id, int, lot, obj, text } from '../binance/index.js';

/** A symbol as Binance names it (BTCUSDT) → the bot's name for the perpetual (BTCUSDT.P); "" (no symbol) stays "". */
export function perp(v: unknown, what: string): string {
  const venue = text(v, what);
  return venue === '' ? '' : perpetualSymbol(venue);
}
