import { formatPct, signedMoney, signedPercent } from '../../chat/index.js';
import { intervalName, renderChart, rollUpCandles } from '../../charts/index.js';
import type { Candle, Fixed } from '../../domain/index.js';
import type { BacktestReport, EquityPoint } from './backtest-types.js';

/** What a phone shows legibly across its width (a 1200 px picture: 5 px a candle). */
const MAX_CANDLES = 240;

export interface BacktestPicture {
  readonly png: Buffer;
  /** The SVG the PNG was drawn from (its texts are searchable). */
  readonly svg: string;
  readonly caption: string;
  readonly filename: string;
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * A backtest as one picture: the replayed candles rolled up to at most 240, the grid's ladder as it was placed (buys
 * below, sells above the first price), its fills as markers, and under them the grid's PnL against holding the same
 * investment. The PnL lines are sampled at the rolled candles' closes, so a dip inside one of them is not drawn (the
 * report's max drawdown counts every candle). Prices print at `tickSize`'s decimals when given (the symbol's tick).
 * Same report and candles, same bytes.
 */
export async function backtestPicture(report: BacktestReport, candles: readonly Candle[], tickSize?: Fixed): Promise<BacktestPicture> {
  const rolled = rollUpCandles(candles, MAX_CANDLES);
  const p = report.preview.params;
  const levels = report.preview.levels.filter((l) => l.index !== 0);
  const sampled = atCloses(report.equity, rolled.candles);
  const pnl = (value: (e: EquityPoint) => Fixed) => sampled.map((e) => ({ time: e.time, value: value(e) - report.investment }));
  const days = day(report.from) === day(report.to) ? day(report.from) : `${day(report.from)} → ${day(report.to)}`;
  const grid = `${p.levels} × ${formatPct(p.spacingPct)} %${p.spacing === 'geometric' ? ' geometric' : ''}`;
  const title = `${report.symbol} · backtest ${grid} · ${intervalName(rolled.intervalMs)} candles · ${days}`;
  const rendered = await renderChart({
    title,
    candles: rolled.candles,
    ...(tickSize === undefined ? {} : { tickSize }),
    ladder: {
      buys: levels.filter((l) => l.side === 'BUY').map((l) => l.price),
      sells: levels.filter((l) => l.side === 'SELL').map((l) => l.price),
    },
    fills: report.gridFills.map((f) => ({ time: f.time, price: f.price, side: f.side })),
    pnl: {
      label: 'grid PnL',
      unit: report.preview.quoteAsset,
      points: pnl((e) => e.grid),
      compare: { label: 'hold PnL', points: pnl((e) => e.hold) },
    },
    width: 1200,
    height: 900,
  });
  const q = report.preview.quoteAsset;
  const caption =
    `🧪 Backtest ${report.symbol} ${grid}, ${days}: grid ${signedMoney(report.grid.totalPnl)} ${q} ` +
    `(${signedPercent(report.grid.returnPct)} %), holding ${signedMoney(report.hold.totalPnl)} ${q} ` +
    `(${signedPercent(report.hold.returnPct)} %)`;
  const mode = p.spacing === 'geometric' ? '-geometric' : '';
  const stem = `backtest-${report.symbol.toLowerCase()}-${p.levels}x${formatPct(p.spacingPct)}${mode}`;
  const filename = `${stem}-${day(report.from)}-${day(report.to)}.png`;
  return { png: rendered.png, svg: rendered.svg, caption, filename };
}

/** The equity point at each rolled candle's close (the last one at or before it): one point a drawn candle. */
function atCloses(equity: readonly EquityPoint[], candles: readonly Candle[]): EquityPoint[] {
  const out: EquityPoint[] = [];
  let i = 0;
  for (const c of candles) {
    while (i + 1 < equity.length && (equity[i + 1] as EquityPoint).time <= c.closeTime) i++;
    const point = equity[i];
    if (point !== undefined && point.time <= c.closeTime && out.at(-1) !== point) out.push(point);
  }
  return out;
}
