export { renderChart } from './render-chart.js';
export type { ChartSpec, ChartFill, RenderedChart } from './chart-spec.js';
