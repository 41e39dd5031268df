/**
 * Chart rendering: the BTCUSDT chart the tests draw (300 one-minute candles, a 10+10 ladder, 15 fills, a PnL panel,
 * 1200 × 800) through renderChart, 30 times after 3 warm-ups; value is the p50 in ms. Floor, in the same run:
 * resvg's renderAsync on a blank SVG of the same size with the same fonts, resvg's fixed cost per picture. Beside
 * them, the event loop's worst delay while charts were drawn: the SVG is built on the loop, the pixels off it, and
 * that delay is what a fill arriving meanwhile could wait.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { renderAsync } from '@resvg/resvg-js';
import { renderChart } from '../src/charts/index.js';
import { btcChartSpec } from '../test/charts/btc-chart-spec.js';
import { peakRssMb, percentile, report } from './stats.js';

const WARMUP = 3;
const SAMPLES = 30;
const spec = btcChartSpec();
const width = spec.width ?? 1200;
const height = spec.height ?? 800;
const FONTS = ['400Regular/Arimo_400Regular.ttf', '700Bold/Arimo_700Bold.ttf'].map(
  (f) =>
    // Resolved as the renderer does, from node_modules (the bundle sits in a folder under bench/).
    new URL(import.meta.resolve(`@expo-google-fonts/arimo/${f}`)).pathname,
);
const BLANK = [
  `<svg width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">`,
  `<rect width="${width}" height="${height}" fill="#fff"/></svg>`,
].join('');

async function timed(samples: number, run: () => Promise<unknown>): Promise<Float64Array> {
  const ms = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    await run();
    ms[i] = performance.now() - t0;
  }
  return ms.sort();
}

const floorRun = () => renderAsync(BLANK, { font: { fontFiles: FONTS, loadSystemFonts: false, defaultFontFamily: 'Arimo' } });
await timed(WARMUP, floorRun);
const floor = await timed(SAMPLES, floorRun);

let pngBytes = 0;
const chartRun = async () => {
  pngBytes = (await renderChart(spec)).png.length;
};
await timed(WARMUP, chartRun);
const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();
const charts = await timed(SAMPLES, chartRun);
loop.disable();

report({
  bench: 'chart_render',
  value: percentile(charts, 50),
  unit: 'ms',
  floor: percentile(floor, 50),
  p99: percentile(charts, 99),
  floor_p99: percentile(floor, 99),
  max: charts[charts.length - 1],
  samples: SAMPLES,
  warmup: WARMUP,
  // The loop's worst stall while charts were drawn (building the SVG), and its p99.
  loop_delay_max_ms: loop.max / 1e6,
  loop_delay_p99_ms: loop.percentile(99) / 1e6,
  png_kb: Math.round(pngBytes / 1024),
  size: `${width}x${height}`,
  candles: spec.candles.length,
  peak_rss_mb: Math.round(peakRssMb()),
});
