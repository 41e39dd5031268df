import type { GridComponentOption, LegendComponentOption, LineSeriesOption, XAXisComponentOption, YAXisComponentOption } from 'echarts';
import { type TimeSpan, timeAxis, valueAxis } from './axes.js';
import type { PnlCompare, PnlSeries } from './chart-spec.js';
import { FONT_FAMILY } from './fonts.js';
import { signedText, toNumber } from './labels.js';
import { COLORS, type Layout, type Panel } from './style.js';

/**
 * The pieces of one PnL panel on grid `index`: a purple line over a light area from zero, its final value tagged;
 * with a compare line, that line (grey, dashed) and a legend above the panel naming both.
 */
export interface PnlPanel {
  readonly grid: GridComponentOption;
  readonly xAxis: XAXisComponentOption;
  readonly yAxis: YAXisComponentOption;
  readonly series: LineSeriesOption;
  readonly compare?: { readonly series: LineSeriesOption; readonly legend: LegendComponentOption };
}

export function pnlPanel(pnl: PnlSeries, index: number, panel: Panel, span: TimeSpan, l: Layout): PnlPanel {
  const decimals = pnl.decimals ?? 2;
  const last = pnl.points.at(-1);
  const markLine: LineSeriesOption['markLine'] = {
    symbol: 'none',
    silent: true,
    animation: false,
    data: [
      { yAxis: 0, lineStyle: { color: COLORS.axis, type: 'solid', width: l.px(1.5) }, label: { show: false } },
      ...(last
        ? [
            {
              yAxis: toNumber(last.value),
              lineStyle: { color: COLORS.muted, type: 'solid' as const, width: l.px(1) },
              label: {
                show: true,
                position: 'end' as const,
                formatter: signedText(last.value, decimals),
                color: COLORS.pnl,
                fontSize: l.font.text,
                fontWeight: 'bold' as const,
                distance: l.px(4),
              },
            },
          ]
        : []),
    ],
  };
  return {
    grid: { ...panel, containLabel: false },
    xAxis: timeAxis(index, span, true, l),
    yAxis: valueAxis(index, l, true, {
      name: pnl.compare ? pnl.unit : `${pnl.label} ${pnl.unit}`,
      nameLocation: 'middle',
      nameRotate: 90,
      nameGap: l.px(62),
      nameTextStyle: { fontSize: l.font.text, color: COLORS.text },
      splitNumber: 2,
    }),
    series: {
      type: 'line',
      name: pnl.label,
      xAxisIndex: index,
      yAxisIndex: index,
      data: pnl.points.map((p) => [p.time, toNumber(p.value)]),
      showSymbol: false,
      silent: true,
      animation: false,
      lineStyle: { color: COLORS.pnl, width: l.px(2.5) },
      itemStyle: { color: COLORS.pnl },
      areaStyle: { color: COLORS.pnlArea },
      markLine,
    },
    ...(pnl.compare ? { compare: compareLine(pnl.label, pnl.compare, index, l) } : {}),
  };
}

/** The compare line under the main one, untagged (the header says its final value), and the legend of both lines. */
function compareLine(label: string, compare: PnlCompare, index: number, l: Layout): NonNullable<PnlPanel['compare']> {
  return {
    series: {
      type: 'line',
      name: compare.label,
      xAxisIndex: index,
      yAxisIndex: index,
      data: compare.points.map((p) => [p.time, toNumber(p.value)]),
      showSymbol: false,
      silent: true,
      animation: false,
      z: 1,
      lineStyle: { color: COLORS.compare, width: l.px(2.5), type: 'dashed' },
      itemStyle: { color: COLORS.compare },
    },
    legend: {
      show: true,
      data: [
        { name: label, icon: 'rect' },
        { name: compare.label, icon: 'rect' },
      ],
      // Right-aligned in the strip above the panel: the price panel's captions below it start on the left.
      right: l.px(16),
      top: l.captionBelowTop,
      itemWidth: l.px(22),
      itemHeight: l.px(6),
      itemGap: l.px(22),
      selectedMode: false,
      textStyle: { fontSize: l.font.text, color: COLORS.text, fontFamily: FONT_FAMILY },
    },
  };
}
