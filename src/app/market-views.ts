import type { TaInterval, TradingServices } from '../chat/index.js';
import { type Candle, type Fixed, type Result, failure, isPerpetual, ok, perpetualSymbol, venueSymbol } from '../domain/index.js';
import type { GridParams } from '../strategy/index.js';
import { type VolatilityAdvice, computeIndicators, indicatorLines, volatilityAdvice } from '../indicators/index.js';
import type { TradingKernel } from './trading-kernel.js';

/** EMA 200, the longest indicator, plus room: what /ta asks the exchange for when its own candles are fewer. */
const TA_CANDLES = 250;

/**
 * The candles /ta reads: the bot's own (fed by every trade, backfilled at start, kept in Redis across restarts) when
 * they reach TA_CANDLES closed ones, else the exchange's klines, or the bot's own still when the exchange has fewer
 * (after a restart, the copy may know more than an exchange that refuses or forgot); the candle still open is left out
 * either way (an indicator on it would change until it closes). 1d is always the exchange's: the bot keeps no days.
 */
async function closedCandles(kernel: TradingKernel, symbol: string, interval: TaInterval, now: number): Promise<Result<Candle[]>> {
  const own = interval === '1d' ? [] : kernel.candles.candles(symbol, interval).filter((c) => c.closeTime < now);
  if (own.length >= TA_CANDLES) return ok(own.slice(-TA_CANDLES));
  const asked = await kernel.gateway.candles?.(symbol, interval, { limit: TA_CANDLES + 1 });
  if (asked === undefined) return ok(own);
  if (!asked.ok) {
    if (own.length > 0) return ok(own);
    return failure('NO_HISTORY', `the exchange did not give ${symbol}'s ${interval} klines: ${asked.error.message}`);
  }
  const theirs = asked.value.filter((c) => c.closeTime < now);
  return ok(theirs.length >= own.length ? theirs : own);
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

/** The hourly candles volatility reads: the bot's own closed ones when a day and a half is there, else the exchange's. */
async function hourlyCandles(kernel: TradingKernel, symbol: string, now: number): Promise<Candle[]> {
  const own = kernel.candles.candles(symbol, '1h').filter((c) => c.closeTime < now);
  if (own.length >= VOLATILITY_HOURS) return own.slice(-VOLATILITY_HOURS);
  const asked = await kernel.gateway.candles?.(symbol, '1h', { limit: VOLATILITY_HOURS + 1 });
  return asked?.ok ? asked.value.filter((c) => c.closeTime < now) : own;
}

/** NATR(14) settles over a day and more of hours; 24 of them are the range. */
const VOLATILITY_HOURS = 48;

/**
 * The grid preview's volatility (indicators/volatilityAdvice) at `price`, or undefined with too few hourly candles.
 * `levels` keeps the owner's count in the auto proposal.
 */
export async function volatilityFor(
  kernel: TradingKernel,
  symbol: string,
  price: Fixed,
  levels?: number,
): Promise<Result<VolatilityAdvice>> {
  const instrument = kernel.instruments.get(symbol);
  if (instrument === undefined) return failure('UNKNOWN_SYMBOL', `unknown symbol ${symbol}`);
  const hourly = await hourlyCandles(kernel, symbol, kernel.host.clock.now());
  return volatilityAdvice({
    hourly,
    price,
    tickSize: instrument.filters.priceFilter.tickSize,
    makerFee: kernel.fees.maker,
    ...(levels !== undefined ? { levels } : {}),
  });
}

/**
 * `/grid SYMBOL auto`: levels and spacing from the hourly volatility (Binance's "AI parameters" in spirit), with the
 * one line that says why; any other grid passes through unchanged.
 */
export async function resolveAuto(
  kernel: TradingKernel,
  asked: GridParams,
): Promise<Result<{ readonly params: GridParams; readonly auto?: string }>> {
  if (asked.auto !== true) return ok({ params: asked });
  const { auto: _auto, ...params } = asked;
  const symbol = params.futures !== undefined && !isPerpetual(params.symbol) ? perpetualSymbol(params.symbol) : params.symbol;
  const price = kernel.market.lastPrice(symbol);
  if (price === undefined) return failure('NO_MARKET_DATA', `no trade seen on ${symbol} yet; try again in a moment`);
  const advice = await volatilityFor(kernel, symbol, price);
  if (!advice.ok) {
    return failure(
      'AUTO_UNAVAILABLE',
      `auto reads the hourly volatility, and ${advice.error.message}; ` +
        `give LEVELS and SPACING instead, like /grid ${venueSymbol(symbol)} 10 0.5`,
    );
  }
  const { levels, spacingPct, reasoning } = advice.value.auto;
  return ok({ params: { ...params, levels, spacingPct }, auto: reasoning });
}
