import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ChartSpec, type RenderedChart, renderChart } from '../../src/charts/index.js';
import { fx } from '../../src/domain/index.js';
import { btcChartSpec } from './btc-chart-spec.js';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

/** Turns the event loop until no more timers are pending than `baseline`, or 5 s have passed; returns the count. */
async function timersSettleTo(baseline: number): Promise<number> {
  const until = performance.now() + 5_000;
  while (timers() > baseline && performance.now() < until) await new Promise((resolve) => setImmediate(resolve));
  return timers();
}

describe('renderChart: BTCUSDT, last 300 minutes of 2020-01-01, a 10+10 grid, 15 fills, PnL', () => {
  const spec = btcChartSpec();
  let first: RenderedChart;
  let timersBefore: number;

  beforeAll(async () => {
    timersBefore = timers();
    first = await renderChart(spec);
  });

  it('gives a PNG, and the same bytes again for the same data', async () => {
    expect(first.png.subarray(0, 8)).toEqual(PNG_MAGIC);
    const second = await renderChart(spec);
    expect(second.svg).toBe(first.svg);
    expect(sha256(second.png)).toBe(sha256(first.png));
  });

  it('draws the levels in view, captions the rest, tags the last price and the final PnL', () => {
    const { svg } = first;
    expect(svg).toContain('>▲ 8 more sell levels, to 7569.31<');
    expect(svg).toContain('>▼ 9 more buy levels, to 6850.61<');
    for (const level of ['7237.01', '7273.20', '7165.17']) expect(svg).toContain(`>${level}<`);
    expect(svg).not.toContain('>7309.57<'); // the third sell level is out of view
    expect(svg).toContain('>7200.85<'); // the last price's tag
    expect(svg).toContain('>+3.75<'); // the PnL panel's final value
    expect(svg).toContain('last 7200.85   fills 15   PnL +3.75 USDT   (UTC)');
    expect(svg).toContain('>19:00<'); // the time axis, in UTC
    // Every text in the shipped font, at 18 px or more, in properties resvg reads (never the `font:` shorthand).
    expect(svg).not.toMatch(/font:/);
    const sizes = [...svg.matchAll(/font-size:([\d.]+)px/g)].map((m) => Number(m[1]));
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(18);
    expect([...new Set([...svg.matchAll(/font-family:([^;"]+)/g)].map((m) => m[1]))]).toEqual(['Arimo']);
  });

  it('leaves no timer behind (the chart is disposed)', async () => {
    expect(await timersSettleTo(timersBefore)).toBeLessThanOrEqual(timersBefore);
  });
});

describe('renderChart: after a sharp move', () => {
  it('captions levels of both sides beyond one edge on one line, and draws without ladder or PnL', async () => {
    const base = btcChartSpec();
    const spec: ChartSpec = {
      title: 'BTCUSDT',
      candles: base.candles,
      tickSize: fx('0.01'),
      // The price fell through the whole grid: every buy and every sell is above the view.
      ladder: { buys: [fx('7400'), fx('7390')], sells: [fx('7410'), fx('7420'), fx('7430')] },
      width: 600,
      height: 400,
    };
    const { png, svg } = await renderChart(spec);
    expect(png.subarray(0, 8)).toEqual(PNG_MAGIC);
    expect(svg).toContain('>▲ 3 more sell levels, to 7430.00<');
    expect(svg).toContain('▲ 2 more buy levels, to 7400.00<');
    expect(svg).not.toMatch(/font:/);
    expect(svg).not.toContain('PnL');
    expect(svg).toContain('last 7200.85   (UTC)');
  });
});
