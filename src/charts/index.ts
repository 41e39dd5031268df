export { renderChart } from './render-chart.js';
export { intervalName, rollUpCandles } from './roll-up.js';
export type { ChartSpec, ChartFill, RenderedChart } from './chart-spec.js';
