import { z } from 'zod';
import { type Check, knownSymbol, optional, required } from '../args.js';
import { formatTime } from '../format.js';
import { price } from '../numbers.js';
import { type Command, defineCommand } from '../registry.js';
import type { TaInterval, TaView, TradingServices } from '../services.js';

const INTERVALS: readonly TaInterval[] = ['1h', '4h', '1d'];

const intervalText = (text: string): Check<TaInterval> => {
  const interval = INTERVALS.find((i) => i === text.toLowerCase());
  return interval !== undefined
    ? { value: interval }
    : { problem: `INTERVAL: expected one of ${INTERVALS.join(', ')}, got '${text}'; e.g. /ta BTCUSDT 4h.` };
};

/** `/ta SYMBOL [1h|4h|1d]`: indicators on the symbol's closed candles, one reading a line (1h unless told). */
export function taCommand(services: TradingServices): Command<{ symbol: string; interval: TaInterval }, TaView> {
  return defineCommand({
    name: 'ta',
    role: 'viewer',
    summary:
      'Show indicators (RSI, MACD, Bollinger, ATR, EMAs, ADX, StochRSI, SuperTrend, VWAP) on a symbol, each with a one-line reading.',
    usage: '/ta SYMBOL [1h|4h|1d]',
    example: '/ta BTCUSDT 4h',
    syntax: { positional: ['SYMBOL', 'INTERVAL'] },
    args: z
      .object({
        SYMBOL: required(
          'SYMBOL',
          knownSymbol('SYMBOL', () => services.symbols()),
        ),
        INTERVAL: optional('INTERVAL', intervalText),
      })
      .transform((a) => ({ symbol: a.SYMBOL, interval: a.INTERVAL ?? '1h' })),
    handler: async ({ symbol, interval }, ctx) => {
      const ta = ctx.services.ta;
      if (ta === undefined)
        return { ok: false, error: { code: 'NO_HISTORY', message: 'this bot keeps no candles to read indicators from' } };
      return ta(symbol, interval);
    },
    render: (v, ctx) => {
      const sym = ctx.services.instrumentOf?.(v.symbol);
      const head = `${v.symbol} · ${v.interval} · ${v.candles} closed candles to ${formatTime(v.lastClose)} · close ${price(v.close, sym)}`;
      return { text: [head, ...v.lines.map((l) => `  ${l}`), 'Indicators are advice computed in floating point, not orders.'].join('\n') };
    },
  });
}
