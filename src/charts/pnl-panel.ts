import type { GridComponentOption, LineSeriesOption, XAXisComponentOption, YAXisComponentOption } from 'echarts';
import { type TimeSpan, timeAxis, valueAxis } from './axes.js';
import type { PnlSeries } from './chart-spec.js';
import { signedText, toNumber } from './labels.js';
import { COLORS, type Layout, type Panel } from './style.js';

/** The pieces of one PnL panel on grid `index`: a purple line over a light area from zero, its final value tagged. */
export interface PnlPanel {
  readonly grid: GridComponentOption;
  readonly xAxis: XAXisComponentOption;
  readonly yAxis: YAXisComponentOption;
  readonly series: LineSeriesOption;
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
      name: `${pnl.label} ${pnl.unit}`,
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
  };
}
