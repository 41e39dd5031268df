import type { ScatterSeriesOption } from 'echarts';
import type { Candle } from '../domain/index.js';
import type { ChartFill } from './chart-spec.js';
import { toNumber } from './labels.js';
import { COLORS, type Layout } from './style.js';

/** A down-pointing triangle, for the legend (the markers rotate the built-in one). */
export const DOWN_TRIANGLE = 'path://M0,0L10,0L5,10Z';

/**
 * Fills as triangles whose tip touches the fill price: buys point up from below, sells down from above. A fill sits
 * on the candle whose interval holds its time, so it lines up with the bar it traded in at any interval; fills
 * outside the candles' span are left out.
 */
export function fillSeries(fills: readonly ChartFill[], candles: readonly Candle[], l: Layout): ScatterSeriesOption[] {
  const onCandle = (fill: ChartFill): [number, number] | undefined => {
    const candle = candleAt(candles, fill.time);
    return candle ? [candle.openTime, toNumber(fill.price)] : undefined;
  };
  const points = (side: ChartFill['side']) =>
    fills
      .filter((f) => f.side === side)
      .flatMap((f) => {
        const at = onCandle(f);
        return at ? [at] : [];
      });
  const size = l.px(22);
  const common = { type: 'scatter', symbol: 'triangle', symbolSize: size, silent: true, animation: false, z: 5 } as const;
  return [
    { ...common, name: 'buy fill', data: points('BUY'), itemStyle: { color: COLORS.buyFill }, symbolOffset: [0, '50%'] },
    {
      ...common,
      name: 'sell fill',
      data: points('SELL'),
      itemStyle: { color: COLORS.sellFill },
      symbolRotate: 180,
      symbolOffset: [0, '-50%'],
    },
  ];
}

/** The candle whose [openTime, closeTime] holds `time` (binary search: the candles are oldest first). */
function candleAt(candles: readonly Candle[], time: number): Candle | undefined {
  let lo = 0;
  let hi = candles.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = candles[mid] as Candle;
    if (time < c.openTime) hi = mid - 1;
    else if (time > c.closeTime) lo = mid + 1;
    else return c;
  }
  return undefined;
}
