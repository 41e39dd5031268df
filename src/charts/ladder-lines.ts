import type { MarkLineComponentOption } from 'echarts';
import type { Fixed } from '../domain/index.js';
import { priceText, toNumber } from './labels.js';
import type { PriceView } from './price-view.js';
import { COLORS, type Layout, type Panel } from './style.js';

type MarkLineData = NonNullable<MarkLineComponentOption['data']>[number];

interface Line {
  readonly price: Fixed;
  readonly color: string;
  readonly tag: boolean;
}

/**
 * The ladder levels in view as dashed lines (buys and sells in their colours) with bold prices right of the panel,
 * and the last price as a solid line with a filled tag. Labels would overlap where two lines sit closer than a
 * label's height: the tag always shows, and going outward from it a level keeps its label only if it clears those
 * already placed (the line itself always shows).
 */
export function ladderMarkLine(
  view: PriceView,
  lastPrice: Fixed,
  tickSize: Fixed | undefined,
  panel: Panel,
  l: Layout,
): MarkLineComponentOption {
  const lines: Line[] = [
    { price: lastPrice, color: COLORS.lastPrice, tag: true },
    ...view.buys.map((price) => ({ price, color: COLORS.buyLevel, tag: false })),
    ...view.sells.map((price) => ({ price, color: COLORS.sellLevel, tag: false })),
  ];
  const range = toNumber(view.high - view.low);
  const y = (p: Fixed) => (panel.height * toNumber(view.high - p)) / range;
  const distance = (p: Fixed) => Math.abs(toNumber(p - lastPrice));
  const order = lines.map((line, i) => ({ line, i })).sort((a, b) => distance(a.line.price) - distance(b.line.price) || a.i - b.i);
  const placed: number[] = [];
  const clearance = l.font.text * 1.35;
  const data: MarkLineData[] = [];
  for (const { line } of order) {
    const at = y(line.price);
    const labelled = line.tag || placed.every((other) => Math.abs(other - at) >= clearance);
    if (labelled) placed.push(at);
    data.push(lineData(line, labelled, priceText(line.price, tickSize), l));
  }
  // Dashed levels under the solid last-price line: echarts draws in data order.
  data.reverse();
  return { symbol: 'none', silent: true, animation: false, data };
}

function lineData(line: Line, labelled: boolean, text: string, l: Layout): MarkLineData {
  return {
    yAxis: toNumber(line.price),
    lineStyle: { color: line.color, type: line.tag ? 'solid' : 'dashed', width: l.px(line.tag ? 1.5 : 2), opacity: 1 },
    label: {
      show: labelled,
      position: 'end',
      formatter: text,
      fontSize: l.font.text,
      fontWeight: 'bold',
      distance: l.px(4),
      ...(line.tag
        ? { color: '#ffffff', backgroundColor: COLORS.lastPrice, padding: [l.px(3), l.px(5)] }
        : { color: line.color, padding: [0, 0] }),
    },
    emphasis: { disabled: true },
  };
}
