/**
 * A chart of the last 300 minutes of BTCUSDT on 2020-01-01 (data.binance.vision 1m klines in ../shared/data): a
 * 10+10 grid at 0.5 % around 7201 of which only the nearest levels fall in view, 15 fills at the candles' lows and
 * highs, and a PnL series. The test, the bench and docs/chart-example.png all draw this one.
 */
import { readFileSync } from 'node:fs';
import type { ChartFill, ChartSpec } from '../../src/charts/index.js';
import { type Candle, type Fixed, fixed, fx } from '../../src/domain/index.js';
import { parseKline } from '../../src/sandbox/index.js';

const CSV = new URL('../../../shared/data/BTCUSDT-1m-2020-01-01.csv', import.meta.url);
const TICK = fx('0.01');

export function btcChartSpec(): ChartSpec {
  const candles = lastCandles(300);
  const centre = fx('7201');
  const step = fx('1.005');
  const sells: Fixed[] = [];
  const buys: Fixed[] = [];
  for (let i = 1, up = centre, down = centre; i <= 10; i++) {
    up = fixed.roundTo(fixed.mul(up, step), TICK, 'ceil');
    down = fixed.roundTo(fixed.div(down, step), TICK, 'floor');
    sells.push(up);
    buys.push(down);
  }
  const fills: ChartFill[] = Array.from({ length: 15 }, (_, i) => {
    const c = candles[10 + i * 19] as Candle;
    const side = i % 3 === 1 ? 'BUY' : 'SELL';
    return { time: c.openTime + 30_000, price: side === 'BUY' ? c.low : c.high, side };
  });
  // Floating PnL of a small long position plus 0.30 USDT per fill so far: a made-up but plausible curve.
  const start = (candles[0] as Candle).close;
  const points = candles.map((c) => {
    const done = fills.filter((f) => f.time <= c.closeTime).length;
    return { time: c.closeTime + 1, value: fixed.mul(c.close - start, fx('0.02')) + BigInt(done) * fx('0.3') };
  });
  return {
    title: 'BTCUSDT · 1m · last 5 h · grid 10+10 @ 0.5%',
    candles,
    tickSize: TICK,
    ladder: { buys, sells },
    fills,
    pnl: { label: 'PnL', unit: 'USDT', points },
  };
}

function lastCandles(count: number): Candle[] {
  const lines = readFileSync(CSV, 'utf8').trim().split('\n');
  return lines.slice(-count).map((line, i) => {
    const parsed = parseKline(line.split(','), lines.length - count + i + 1);
    if (!parsed.ok) throw new Error(`bad kline in ${CSV.pathname}`);
    return parsed.value;
  });
}
