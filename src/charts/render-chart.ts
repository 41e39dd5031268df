import { chartOption } from './chart-option.js';
import type { ChartSpec, RenderedChart } from './chart-spec.js';
import { fontFiles } from './fonts.js';
import { rasterise } from './rasterise.js';
import { stableSvg } from './svg-text.js';

type Echarts = typeof import('echarts');

/** zrender's SVG painter, which takes options echarts' renderToSVGString does not pass on. */
interface SvgPainter {
  renderToString(opts: { cssEmphasis: boolean; cssAnimation: boolean; useViewBox: boolean }): string;
}

/** Loading echarts costs about half a second: only the first chart pays it, and a bot that never draws one never does. */
let echarts: Promise<Echarts> | undefined;

/**
 * One chart as PNG and the SVG it was rasterised from. Building the SVG runs on the event loop (tens of ms); the
 * rasterising runs on libuv's pool. The same spec always gives the same bytes.
 */
export async function renderChart(spec: ChartSpec): Promise<RenderedChart> {
  fontFiles(); // a missing font fails here, before any work
  const option = chartOption(spec);
  const lib = await (echarts ??= import('echarts'));
  const chart = lib.init(null, null, { renderer: 'svg', ssr: true, width: spec.width ?? 1200, height: spec.height ?? 800 });
  let svg: string;
  try {
    chart.setOption(option);
    // Building the SVG holds the event loop (tens of ms): let whatever queued meanwhile, a fill say, run in between.
    await new Promise((resolve) => setImmediate(resolve));
    // Without hover CSS: its class names count up across the process (zr0-cls-0, then zr1-cls-1), and a PNG has no hover.
    const painter = chart.getZr().painter as unknown as SvgPainter;
    svg = stableSvg(painter.renderToString({ cssEmphasis: false, cssAnimation: false, useViewBox: true }));
  } finally {
    // An SSR chart left undisposed keeps a timer alive: the process would never exit, and a bot would leak one per chart.
    chart.dispose();
  }
  return { png: await rasterise(svg), svg };
}
