import type { XAXisComponentOption, YAXisComponentOption } from 'echarts';
import { axisNumber, utcTick } from './labels.js';
import { COLORS, type Layout } from './style.js';

/** A time span in ms (UTC), shared by every panel so their ticks line up. */
export interface TimeSpan {
  readonly from: number;
  readonly to: number;
}

/** A time x-axis over `span` for grid `gridIndex`; only the lowest panel prints its labels. */
export function timeAxis(gridIndex: number, span: TimeSpan, labels: boolean, l: Layout): XAXisComponentOption {
  return {
    type: 'time',
    gridIndex,
    min: span.from,
    max: span.to,
    axisLine: { lineStyle: { color: COLORS.axis } },
    axisTick: { show: false },
    splitLine: { show: true, lineStyle: { color: COLORS.grid } },
    axisLabel: {
      show: labels,
      formatter: (value: number) => utcTick(value),
      fontSize: l.font.text,
      color: COLORS.muted,
      margin: l.px(10),
      showMinLabel: false,
      showMaxLabel: false,
    },
  };
}

/**
 * A value y-axis on the panel's left with plain numbers (no thousands separators: a price reads as its digits).
 * `endLabels` false hides the labels at a fixed min/max, which fall between echarts' round ticks.
 */
export function valueAxis(gridIndex: number, l: Layout, endLabels: boolean, extra: YAXisComponentOption): YAXisComponentOption {
  return {
    type: 'value',
    gridIndex,
    position: 'left',
    axisLine: { show: false },
    axisTick: { show: false },
    splitLine: { show: true, lineStyle: { color: COLORS.grid } },
    axisLabel: {
      formatter: (value: number) => axisNumber(value),
      fontSize: l.font.text,
      color: COLORS.muted,
      margin: l.px(12),
      showMinLabel: endLabels,
      showMaxLabel: endLabels,
    },
    ...extra,
  } as YAXisComponentOption;
}
