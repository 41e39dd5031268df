import type { ChartWindow, TradingServices } from '../chat/index.js';
import { type Candle, type Fixed, SCALE, failure, fixed, isTerminal, ok } from '../domain/index.js';
import { type ChartFill, renderChart } from '../charts/index.js';
import type { CandleInterval } from '../market/index.js';
import { PnlHistory } from './pnl-history.js';
import type { TradingKernel } from './trading-kernel.js';

/** What each window draws: its candles' interval and how many (at most ~360, what a phone still reads). */
const WINDOWS: Readonly<Record<ChartWindow, { readonly interval: CandleInterval; readonly count: number; readonly words: string }>> = {
  '1h': { interval: '1m', count: 60, words: 'last hour' },
  '6h': { interval: '1m', count: 360, words: 'last 6 h' },
  '24h': { interval: '1h', count: 24, words: 'last 24 h' },
  '7d': { interval: '1h', count: 168, words: 'last 7 days' },
};

/** A grid's id as the owner types it (G1), against a symbol (BTCUSDT). */
const GRID_ID = /^G\d+$/i;

/** A grid's open orders (its ladder on the exchange) and its fills, from the order tracker. */
function gridOrders(kernel: TradingKernel, gridId: string): { buys: Fixed[]; sells: Fixed[]; fills: ChartFill[] } {
  const buys: Fixed[] = [];
  const sells: Fixed[] = [];
  const fills: ChartFill[] = [];
  for (const id of kernel.tracker.orderIds()) {
    const o = kernel.tracker.get(id);
    if (o === undefined || o.intent.owner.kind !== 'grid' || o.intent.owner.gridId !== gridId) continue;
    const { side, price } = o.intent;
    if (!isTerminal(o.status) && o.status !== 'new' && price !== undefined) (side === 'BUY' ? buys : sells).push(price);
    // One marker per order that traded, at its average price, when it last traded.
    if (o.filledQty > 0n) fills.push({ time: o.updatedAt, price: fixed.divRound(o.filledQuote * SCALE, o.filledQty, 'halfEven'), side });
  }
  return { buys, sells, fills };
}

/**
 * `/chart SYMBOL|GRID_ID [1h|6h|24h|7d]`: the bot's own candles (charts/ renders them off the event loop's rasteriser),
 * with a grid's ladder and fills when a grid is named, and a second panel with the grid's total PnL (or the account's)
 * over the window, from a minute's samples kept since the start. A market with no candle yet is said so, never drawn empty.
 */
export function chartViews(kernel: TradingKernel): Pick<TradingServices, 'chart' | 'previewChart'> {
  const history = new PnlHistory(kernel);
  history.attach(kernel.host.bus);
  return {
    chart: async (target, window) => {
      const named = GRID_ID.test(target);
      const grid = named ? kernel.grids.summaries().find((g) => g.gridId === target.toUpperCase()) : undefined;
      if (named && grid === undefined) return failure('GRID_NOT_FOUND', `there is no grid ${target.toUpperCase()}; /grids lists them`);
      const symbol = grid?.symbol ?? target;
      const instrument = kernel.instruments.get(symbol);
      if (instrument === undefined) return failure('UNKNOWN_SYMBOL', `SYMBOL: ${symbol} is not traded by this bot; e.g. /chart BTCUSDT 6h`);
      const w = WINDOWS[window];
      const candles: Candle[] = kernel.candles.candles(symbol, w.interval, w.count);
      if (candles.length === 0) return failure('NO_HISTORY', `no ${w.interval} candle of ${symbol} yet; try again in a minute`);
      const orders = grid === undefined ? undefined : gridOrders(kernel, grid.gridId);
      const title = `${symbol} · ${w.interval} · ${w.words}${grid ? ` · ${grid.gridId}` : ''}`;
      const from = (candles[0] as Candle).openTime;
      const points = grid ? history.gridSince(grid.gridId, from) : history.accountSince(from);
      const rendered = await renderChart({
        title,
        candles,
        tickSize: instrument.filters.priceFilter.tickSize,
        ...(orders ? { ladder: { buys: orders.buys, sells: orders.sells }, fills: orders.fills } : {}),
        // A line needs two points: a bot started a minute ago has no PnL story to tell yet.
        ...(points.length >= 2 ? { pnl: { label: grid ? `${grid.gridId} PnL` : 'Account PnL', unit: instrument.quoteAsset, points } } : {}),
      });
      const name = `${grid?.gridId ?? symbol}-${window}`.toLowerCase();
      return ok({ png: rendered.png, caption: title, filename: `chart-${name}.png` });
    },
    previewChart: async (preview) => {
      const symbol = preview.params.symbol;
      const instrument = kernel.instruments.get(symbol);
      const w = WINDOWS['24h'];
      const candles: Candle[] = kernel.candles.candles(symbol, w.interval, w.count);
      if (instrument === undefined || candles.length === 0)
        return failure('NO_HISTORY', `no ${w.interval} candle of ${symbol} yet to draw the ladder over; try again later`);
      // The ladder as proposed: the lines below the reference buy, those above sell (index 0 is the price, no order).
      const buys = preview.levels.filter((l) => l.index < 0).map((l) => l.price);
      const sells = preview.levels.filter((l) => l.index > 0).map((l) => l.price);
      const title = `${symbol} · ${w.interval} · ${w.words} · proposed grid`;
      const rendered = await renderChart({
        title,
        candles,
        tickSize: instrument.filters.priceFilter.tickSize,
        ladder: { buys, sells },
        lastPrice: preview.referencePrice,
      });
      return ok({ png: rendered.png, caption: title, filename: `chart-${symbol.toLowerCase()}-proposed.png` });
    },
  };
}
