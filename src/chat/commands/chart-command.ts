import { z } from 'zod';
import { type Check, required, optional } from '../args.js';
import { type Command, defineCommand } from '../registry.js';
import type { ChartView, ChartWindow, TradingServices } from '../services.js';

const WINDOWS: readonly ChartWindow[] = ['1h', '6h', '24h', '7d'];

const windowText = (text: string): Check<ChartWindow> => {
  const w = WINDOWS.find((x) => x === text.toLowerCase());
  return w !== undefined
    ? { value: w }
    : { problem: `WINDOW: expected one of ${WINDOWS.join(', ')}, got '${text}'; e.g. /chart BTCUSDT 6h.` };
};

/** A symbol the bot trades, or a grid id like G1 (checked against the grids when the chart is drawn). */
const targetText =
  (symbols: () => readonly string[]) =>
  (text: string): Check<string> => {
    const word = text.toUpperCase();
    if (/^G\d+$/.test(word) || symbols().includes(word)) return { value: word };
    return { problem: `SYMBOL: expected a symbol the bot trades (${symbols().join(', ')}) or a grid id like G1, got '${text}'.` };
  };

/** `/chart SYMBOL|GRID_ID [1h|6h|24h|7d]`: a picture of the market, or of a grid with its ladder and fills (6 h unless told). */
export function chartCommand(services: TradingServices): Command<{ target: string; window: ChartWindow }, ChartView> {
  return defineCommand({
    name: 'chart',
    role: 'viewer',
    summary: "Draw a chart: a symbol's candles, or a grid's (G1) with its buy and sell levels and its fills.",
    usage: '/chart SYMBOL|GRID_ID [1h|6h|24h|7d]',
    example: '/chart G1 24h',
    syntax: { positional: ['SYMBOL', 'WINDOW'] },
    args: z
      .object({
        SYMBOL: required(
          'SYMBOL',
          targetText(() => services.symbols()),
        ),
        WINDOW: optional('WINDOW', windowText),
      })
      .transform((a) => ({ target: a.SYMBOL, window: a.WINDOW ?? '6h' })),
    handler: async ({ target, window }, ctx) => {
      const chart = ctx.services.chart;
      if (chart === undefined) return { ok: false, error: { code: 'NO_CHARTS', message: 'this bot draws no charts' } };
      return chart(target, window);
    },
    render: (v) => ({ text: '', photo: { png: v.png, caption: v.caption, filename: v.filename } }),
  });
}
