import type { EChartsOption, GraphicComponentOption, GridComponentOption, LegendComponentOption, SeriesOption } from 'echarts';
import type { Candle, Fixed } from '../domain/index.js';
import { type TimeSpan, timeAxis, valueAxis } from './axes.js';
import type { ChartSpec } from './chart-spec.js';
import { DOWN_TRIANGLE, fillSeries } from './fill-markers.js';
import { FONT_FAMILY } from './fonts.js';
import { ladderMarkLine } from './ladder-lines.js';
import { offViewCaption, priceText, signedText, toNumber } from './labels.js';
import { pnlPanel } from './pnl-panel.js';
import { type OffView, type PriceView, priceView } from './price-view.js';
import { COLORS, type Layout, layout } from './style.js';

/**
 * The whole echarts option for one chart: header (title, a line of figures, legend), the price panel (candles, the
 * ladder in view, fills, the last price) with captions for the levels out of view, and the PnL panel when there is
 * one. Nothing animates and nothing reads the clock, so the same spec gives the same SVG.
 */
export function chartOption(spec: ChartSpec): EChartsOption {
  const first = spec.candles[0];
  const final = spec.candles.at(-1);
  if (!first || !final) throw new Error('a chart needs at least one candle');
  const l = layout(spec.width ?? 1200, spec.height ?? 800, spec.pnl !== undefined);
  const halfBar = (first.closeTime + 1 - first.openTime) / 2;
  const span: TimeSpan = { from: first.openTime - halfBar, to: final.openTime + halfBar };
  const fills = (spec.fills ?? []).filter((f) => f.time >= first.openTime && f.time <= final.closeTime);
  const lastPrice = spec.lastPrice ?? final.close;
  const prices = [lastPrice, ...fills.map((f) => f.price)];
  const view = priceView(lowest(spec.candles, prices), highest(spec.candles, prices), spec.ladder);
  const tick = spec.tickSize;

  const series: SeriesOption[] = [
    {
      type: 'candlestick',
      name: 'price',
      data: spec.candles.map((c) => [c.openTime, toNumber(c.open), toNumber(c.close), toNumber(c.low), toNumber(c.high)]),
      itemStyle: { color: COLORS.up, color0: COLORS.down, borderColor: COLORS.up, borderColor0: COLORS.down, borderWidth: l.px(1) },
      barMaxWidth: l.px(16),
      silent: true,
      animation: false,
      large: false,
      progressive: 0,
      markLine: ladderMarkLine(view, lastPrice, tick, l.price, l),
    },
    ...fillSeries(fills, spec.candles, l),
    // The ladder is drawn as the candles' mark lines; these empty series only give the legend its two entries.
    ...(spec.ladder ? [legendOnly('buy level', COLORS.buyLevel), legendOnly('sell level', COLORS.sellLevel)] : []),
  ];
  const grids: GridComponentOption[] = [{ ...l.price, containLabel: false }];
  const xAxes = [timeAxis(0, span, !l.pnl, l)];
  const yAxes = [valueAxis(0, l, false, { scale: true, min: toNumber(view.low), max: toNumber(view.high), splitNumber: 5 })];
  let compareLegend: LegendComponentOption | undefined;
  if (spec.pnl && l.pnl) {
    const panel = pnlPanel(spec.pnl, 1, l.pnl, span, l);
    grids.push(panel.grid);
    xAxes.push(panel.xAxis);
    yAxes.push(panel.yAxis);
    series.push(panel.series);
    if (panel.compare) series.push(panel.compare.series);
    compareLegend = panel.compare?.legend;
  }

  const pnlLast = spec.pnl?.points.at(-1);
  const compare = spec.pnl?.compare;
  const compareLast = compare?.points.at(-1);
  const figures = [
    `last ${priceText(lastPrice, tick)}`,
    ...(spec.fills ? [`fills ${fills.length}`] : []),
    ...(spec.pnl && pnlLast ? [`${spec.pnl.label} ${signedText(pnlLast.value, spec.pnl.decimals ?? 2)} ${spec.pnl.unit}`] : []),
    ...(spec.pnl && compare && compareLast
      ? [`${compare.label} ${signedText(compareLast.value, spec.pnl.decimals ?? 2)} ${spec.pnl.unit}`]
      : []),
    '(UTC)',
  ];
  return {
    animation: false,
    useUTC: true,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: FONT_FAMILY },
    grid: grids,
    xAxis: xAxes,
    yAxis: yAxes,
    series,
    legend: compareLegend ? [legend(spec, l), compareLegend] : legend(spec, l),
    graphic: [
      text(spec.title, l.px(20), l.titleTop, l.font.title, COLORS.text, 'bold'),
      text(figures.join('   '), l.px(20), l.subtitleTop, l.font.subtitle, COLORS.text, 'normal'),
      ...caption(view, 'above', tick, l),
      ...caption(view, 'below', tick, l),
    ],
  };
}

function legendOnly(name: string, color: string): SeriesOption {
  return { type: 'line', name, data: [], itemStyle: { color }, lineStyle: { color }, silent: true, animation: false };
}

function legend(spec: ChartSpec, l: Layout): LegendComponentOption {
  const entries = [
    ...(spec.ladder
      ? [
          { name: 'buy level', icon: 'rect' },
          { name: 'sell level', icon: 'rect' },
        ]
      : []),
    ...(spec.fills
      ? [
          { name: 'buy fill', icon: 'triangle' },
          { name: 'sell fill', icon: DOWN_TRIANGLE },
        ]
      : []),
  ];
  return {
    show: entries.length > 0,
    data: entries,
    right: l.px(16),
    top: l.captionAboveTop - l.px(2),
    itemWidth: l.px(22),
    itemHeight: l.px(14),
    itemGap: l.px(22),
    selectedMode: false,
    textStyle: { fontSize: l.font.text, color: COLORS.muted, fontFamily: FONT_FAMILY },
  };
}

/**
 * "▲ 8 more sell levels, to 7561" above the panel, "▼ 9 more buy levels, to 6841" below it, each side in its colour
 * (both sides on one line when a move left levels of both beyond one edge).
 */
function caption(view: PriceView, edge: 'above' | 'below', tick: Fixed | undefined, l: Layout): GraphicComponentOption[] {
  const arrow = edge === 'above' ? '▲' : '▼';
  const hidden = view[edge];
  const parts = (['sell', 'buy'] as const).flatMap((side) => {
    const off: OffView | undefined = side === 'sell' ? hidden.sells : hidden.buys;
    return off ? [`{${side}|${offViewCaption(arrow, side, off.count, priceText(off.furthest, tick))}}`] : [];
  });
  if (parts.length === 0) return [];
  const top = edge === 'above' ? l.captionAboveTop : l.captionBelowTop;
  const rich = (fill: string) => ({ fill, fontFamily: FONT_FAMILY, fontSize: l.font.text, fontWeight: 'bold' as const });
  return [
    {
      type: 'text',
      left: l.price.left,
      top,
      silent: true,
      style: {
        text: parts.join('    '),
        fontFamily: FONT_FAMILY,
        fontSize: l.font.text,
        rich: { sell: rich(COLORS.sellLevel), buy: rich(COLORS.buyLevel) },
      },
    },
  ];
}

/** A text element; fontFamily/fontSize/fontWeight, never the `font` shorthand, which echarts writes as invalid SVG. */
function text(content: string, left: number, top: number, size: number, fill: string, weight: 'bold' | 'normal'): GraphicComponentOption {
  return {
    type: 'text',
    left,
    top,
    silent: true,
    style: { text: content, fill, fontFamily: FONT_FAMILY, fontSize: size, fontWeight: weight },
  };
}

function lowest(candles: readonly Candle[], prices: readonly Fixed[]): Fixed {
  return [...candles.map((c) => c.low), ...prices].reduce((m, p) => (p < m ? p : m));
}

function highest(candles: readonly Candle[], prices: readonly Fixed[]): Fixed {
  return [...candles.map((c) => c.high), ...prices].reduce((m, p) => (p > m ? p : m));
}
