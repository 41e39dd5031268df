export { renderChart } from './render-chart.js';
export type { ChartSpec, ChartLadder, ChartFill, PnlSeries, RenderedChart } from './chart-spec.js';
