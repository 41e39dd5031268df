import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fx } from '../../../../src/domain/index.js';
import { type Harness, START, get, startHarness } from './harness.js';
import { binanceClient } from './rest-client.js';

const HOUR = 3_600_000;
let h: Harness;

/** A tape trade at an explicit time and id (the harness's own helper numbers ids globally). */
function trade(symbol: string, price: string, qty: string, time: number, tradeId: number): void {
  h.hub.trade({ symbol, price: fx(price), quantity: fx(qty), time, tradeId, isBuyerMaker: false });
}

beforeEach(async () => {
  h = await startHarness();
  trade('BTCUSDT', '40000', '2', START - 25 * HOUR, 10); // before the window: the previous close
  trade('BTCUSDT', '50000', '0.5', START - 23 * HOUR, 11);
  trade('BTCUSDT', '52000', '0.25', START - HOUR, 12);
  trade('BTCUSDT', '49000', '0.3333', START - HOUR + 1000, 13);
  trade('BTCUSDT', '51000.5', '0.1', START, 14);
  trade('ETHUSDT', '3000', '1', START - 2 * HOUR, 100);
  trade('ETHUSDT', '2963.12345678', '0.00000003', START - 2 * HOUR + 5, 101);
});

afterEach(async () => {
  await h.close();
});

const BTC_DAY = {
  symbol: 'BTCUSDT',
  priceChange: '1000.50000000',
  priceChangePercent: '2.001',
  weightedAvgPrice: '50225.42888532',
  prevClosePrice: '40000.00000000',
  lastPrice: '51000.50000000',
  lastQty: '0.10000000',
  bidPrice: '51000.50000000',
  bidQty: '0.00000000',
  askPrice: '51000.51000000',
  askQty: '0.00000000',
  openPrice: '50000.00000000',
  highPrice: '52000.00000000',
  lowPrice: '49000.00000000',
  volume: '1.18330000',
  quoteVolume: '59431.75000000',
  openTime: START - 24 * HOUR,
  closeTime: START,
  firstId: 11,
  lastId: 14,
  count: 4,
};

describe('GET /api/v3/ticker/24hr', () => {
  it('computes every field exactly over the last 24 h of hub time, charging 2 for one symbol', async () => {
    const one = await get(h, '/api/v3/ticker/24hr?symbol=BTCUSDT');
    expect(one.status).toBe(200);
    expect(one.body).toEqual(BTC_DAY);
    expect(one.headers.get('x-mbx-used-weight-1m')).toBe('2');
  });

  it('rounds quote volume and the weighted average once, half-even, and the percent to 3 decimals', async () => {
    const res = await get(h, '/api/v3/ticker/24hr?symbol=ETHUSDT');
    expect(res.body).toMatchObject({
      priceChange: '-36.87654322',
      priceChangePercent: '-1.229',
      weightedAvgPrice: '2999.99999889',
      prevClosePrice: '0.00000000',
      volume: '1.00000003',
      quoteVolume: '3000.00008889',
      firstId: 100,
      lastId: 101,
      count: 2,
    });
  });

  it('answers `symbols` and all symbols as arrays, weighing 2 and 80', async () => {
    const some = await get(h, `/api/v3/ticker/24hr?symbols=${encodeURIComponent('["BTCUSDT","ETHUSDT"]')}`);
    expect((some.body as unknown as { symbol: string }[]).map((r) => r.symbol)).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(some.headers.get('x-mbx-used-weight-1m')).toBe('2');
    const all = await get(h, '/api/v3/ticker/24hr');
    expect(all.body).toEqual([BTC_DAY, expect.objectContaining({ symbol: 'ETHUSDT' })]);
    expect(all.headers.get('x-mbx-used-weight-1m')).toBe('82');
    const bad = await get(h, '/api/v3/ticker/24hr?symbol=NOPE');
    expect(bad.body).toEqual({ code: -1121, msg: 'Invalid symbol.' });
  });

  it('lets trades age out minute by minute, keeping the last price once the window is empty', async () => {
    // START is 20 s into its minute: until START + 23 h - 20 s the window's first minute is that of START - 1 h.
    h.clock.now = START + 23 * HOUR - 21_000;
    const later = await get(h, '/api/v3/ticker/24hr?symbol=BTCUSDT');
    expect(later.body).toMatchObject({
      openPrice: '52000.00000000',
      prevClosePrice: '50000.00000000',
      firstId: 12,
      count: 3,
      volume: '0.68330000',
    });
    // One second later that minute is 1440 minutes back and leaves whole.
    h.clock.now = START + 23 * HOUR - 20_000;
    const next = await get(h, '/api/v3/ticker/24hr?symbol=BTCUSDT');
    expect(next.body).toMatchObject({
      openPrice: '51000.50000000',
      prevClosePrice: '49000.00000000',
      firstId: 14,
      count: 1,
      volume: '0.10000000',
    });
    h.clock.now = START + 25 * HOUR;
    const quiet = await get(h, '/api/v3/ticker/24hr?symbol=BTCUSDT');
    expect(quiet.body).toMatchObject({
      priceChange: '0.00000000',
      priceChangePercent: '0.000',
      openPrice: '51000.50000000',
      lastPrice: '51000.50000000',
      prevClosePrice: '51000.50000000',
      volume: '0.00000000',
      firstId: -1,
      lastId: -1,
      count: 0,
    });
  });

  it('is what binance-api-node dailyStats returns', async () => {
    expect(await binanceClient(h).dailyStats({ symbol: 'BTCUSDT' })).toEqual(BTC_DAY);
  });
});
