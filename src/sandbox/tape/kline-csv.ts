import { type Candle, type Fixed, type Result, type TradeTick, fixed, ok } from '../../domain/index.js';
import { badLine, parseAmount, parseTimeMs } from './csv-fields.js';
import type { TapeFailure } from './tape-source.js';

/** Parses one data.binance.vision kline row, the 12-column layout (open_time, open, high, low, close, volume, close_time, …). */
export function parseKline(fields: readonly string[], line: number): Result<Candle, TapeFailure> {
  const openTime = parseTimeMs(fields[0]);
  if (openTime === undefined) return badLine(line, 'open time', fields[0]);
  const closeTime = parseTimeMs(fields[6]);
  if (closeTime === undefined || closeTime < openTime) return badLine(line, 'close time', fields[6]);
  const names = ['open', 'high', 'low', 'close', 'volume'] as const;
  const values: Fixed[] = [];
  for (let c = 0; c < names.length; c++) {
    const v = parseAmount(fields[c + 1]);
    if (v === undefined || v < 0n) return badLine(line, names[c] as string, fields[c + 1]);
    values.push(v);
  }
  const [open, high, low, close, volume] = values as [Fixed, Fixed, Fixed, Fixed, Fixed];
  if (low > high || open < low || open > high || close < low || close > high)
    return badLine(line, 'OHLC (low/high do not bound open/close)', fields.slice(1, 5).join(','));
  return ok({ openTime, closeTime, open, high, low, close, volume });
}

export interface KlinePathOptions {
  /** Trades interpolated inside each of the three legs of the path; 0 gives just open, two extremes, close. */
  readonly pathSteps: number;
  /** Interpolated prices move from the leg's start in whole ticks; unused when pathSteps is 0. */
  readonly tickSize: Fixed;
}

/** The last trade emitted, so direction (and thus the aggressor side) carries across klines. */
export interface PathState {
  price: Fixed | undefined;
  isBuyerMaker: boolean;
}

/**
 * Expands a kline into a deterministic intra-bar path: open → low → high → close when the bar closed up (or flat),
 * open → high → low → close when it closed down, at +0, a quarter, half and the end of the bar, with `pathSteps`
 * whole-tick trades inside each leg. The volume is split exactly (floor to 1e-8, remainder on the last trade).
 * Trade ids are derived from the bar's position in time, so consecutive files of one symbol never reuse an id.
 * A bar with zero volume had no trades and emits none.
 */
export function expandKline(k: Candle, symbol: string, options: KlinePathOptions, state: PathState, out: TradeTick[]): void {
  if (k.volume === 0n) return;
  const steps = options.pathSteps;
  const up = k.close >= k.open;
  const span = k.closeTime - k.openTime;
  const prices = [k.open, up ? k.low : k.high, up ? k.high : k.low, k.close] as const;
  const times = [k.openTime, k.openTime + Math.floor((span + 1) / 4), k.openTime + Math.floor((span + 1) / 2), k.closeTime] as const;
  const count = 4 + 3 * steps;
  const part = k.volume / BigInt(count);
  const firstId = Math.floor(k.openTime / (span + 1)) * count;

  let emitted = 0;
  const emit = (price: Fixed, time: number): void => {
    if (state.price !== undefined && price !== state.price) state.isBuyerMaker = price < state.price;
    state.price = price;
    const quantity = emitted === count - 1 ? k.volume - part * BigInt(count - 1) : part;
    out.push({ symbol, price, quantity, time, tradeId: firstId + emitted, isBuyerMaker: state.isBuyerMaker });
    emitted++;
  };

  emit(prices[0], times[0]);
  for (let leg = 0; leg < 3; leg++) {
    const a = prices[leg] as Fixed;
    const b = prices[leg + 1] as Fixed;
    const ta = times[leg] as number;
    const tb = times[leg + 1] as number;
    for (let s = 1; s <= steps; s++) {
      const offsetTicks = fixed.divRound((b - a) * BigInt(s), options.tickSize * BigInt(steps + 1), 'halfEven');
      emit(a + offsetTicks * options.tickSize, ta + Math.floor(((tb - ta) * s) / (steps + 1)));
    }
    emit(b, tb);
  }
}
