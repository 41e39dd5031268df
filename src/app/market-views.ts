import type { TaInterval, TradingServices } from '../chat/index.js';
import { type Candle, type Result, failure, ok } from '../domain/index.js';
import { computeIndicators, indicatorLines } from '../indicators/index.js';
import type { TradingKernel } from './trading-kernel.js';

/** EMA 200, the longest indicator, plus room: what /ta asks the exchange for when its own candles are fewer. */
const TA_CANDLES = 250;

/**
 * The candles /ta reads: the bot's own (fed by every trade, backfilled at start) when they reach TA_CANDLES closed
 * ones, else the exchange's klines; the candle still open is left out either way (an indicator on it would change
 * until it closes). 1d is always the exchange's: the bot keeps no days.
 */
async function closedCandles(kernel: TradingKernel, symbol: string, interval: TaInterval, now: number): Promise<Result<Candle[]>> {
  if (interval !== '1d') {
    const own = kernel.candles.candles(symbol, interval).filter((c) => c.closeTime < now);
    if (own.length >= TA_CANDLES) return ok(own.slice(-TA_CANDLES));
  }
  const asked = await kernel.gateway.candles?.(symbol, interval, { limit: TA_CANDLES + 1 });
  if (asked === undefined) {
    const own = interval === '1d' ? [] : kernel.candles.candles(symbol, interval).filter((c) => c.closeTime < now);
    return ok(own);
  }
  if (!asked.ok) return failure('NO_HISTORY', `the exchange did not give ${symbol}'s ${interval} klines: ${asked.error.message}`);
  return ok(asked.value.filter((c) => c.closeTime < now));
}

/** `/ta`: the indicators (indicators/) on a traded symbol's closed candles, each with its one-line reading. */
export function marketViews(kernel: TradingKernel): Pick<TradingServices, 'ta'> {
  return {
    ta: async (symbol, interval) => {
      const instrument = kernel.instruments.get(symbol);
      if (instrument === undefined) {
        const traded = [...kernel.instruments.keys()].join(', ');
        return failure('UNKNOWN_SYMBOL', `SYMBOL: ${symbol} is not traded by this bot (it trades ${traded}); e.g. /ta BTCUSDT 1h`);
      }
      const candles = await closedCandles(kernel, symbol, interval, kernel.host.clock.now());
      if (!candles.ok) return candles;
      if (candles.value.length === 0) return failure('NO_HISTORY', `no closed ${interval} candle of ${symbol} yet; try again later`);
      const report = computeIndicators(candles.value, { tickSize: instrument.filters.priceFilter.tickSize });
      const last = candles.value.at(-1) as Candle;
      return ok({
        symbol,
        interval,
        candles: candles.value.length,
        lastClose: last.closeTime,
        close: last.close,
        lines: indicatorLines(report),
      });
    },
  };
}
