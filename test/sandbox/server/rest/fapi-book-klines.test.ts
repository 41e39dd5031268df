// Loaded first so that node-fetch is wrapped for this process whichever test file imports binance-api-node first.
import '../../../../src/exchange/binance/retry-after-capture.js';
import BinanceImport from 'binance-api-node';
import { afterEach, describe, expect, it } from 'vitest';
import { fx } from '../../../../src/domain/index.js';
import { API_KEY, API_SECRET, type Harness, START, get, signed, startHarness } from './harness.js';
import { refusal } from './rest-client.js';

type BinanceFactory = typeof BinanceImport.default;
const Binance: BinanceFactory = typeof BinanceImport === 'function' ? (BinanceImport as unknown as BinanceFactory) : BinanceImport.default;

type Row = Record<string, unknown>;
/** binance-api-node's futures book, candle and bookTicker calls as the wire sees them. */
interface FuturesClient {
  futuresBook(p: Row): Promise<{ lastUpdateId: number; bids: Row[]; asks: Row[] }>;
  futuresCandles(p: Row): Promise<Row[]>;
  futuresAllBookTickers(): Promise<Record<string, Row>>;
}

/** The real client with explicit futures URLs (never `testnet: true`, which sends futures REST to Binance's demo host). */
function futuresClient(h: Harness): FuturesClient {
  const s = h.server;
  return Binance({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    httpBase: s.httpBase,
    httpFutures: s.httpBase,
    wsBase: s.wsBase,
    getTime: () => h.clock.now,
  }) as unknown as FuturesClient;
}

/** A resting spot order: on spot's book, not on the futures one. */
async function rest(h: Harness, side: 'BUY' | 'SELL', price: string, quantity: string): Promise<void> {
  const q = `symbol=BTCUSDT&side=${side}&type=LIMIT&timeInForce=GTC&quantity=${quantity}&price=${price}&timestamp=${h.clock.now}`;
  const res = await signed(h, 'POST', '/api/v3/order', q);
  expect(res.status).toBe(200);
}

const MINUTE = 60_000;
let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('USD-M depth, klines and bookTicker through binance-api-node', () => {
  it("serves depth with E and T; the futures book is empty while futures orders are not served (spot's are not on it)", async () => {
    h = await startHarness();
    h.trade('50000.00');
    await rest(h, 'BUY', '49000.00', '0.01');
    await rest(h, 'BUY', '49000.00', '0.02');
    await rest(h, 'BUY', '49500.00', '0.001');
    await rest(h, 'SELL', '51000.00', '0.5');
    h.clock.now = START + 700;
    const book = await futuresClient(h).futuresBook({ symbol: 'BTCUSDT' });
    expect(book).toEqual({ lastUpdateId: START + 700, bids: [], asks: [] });
    const raw = await get(h, '/fapi/v1/depth?symbol=BTCUSDT&limit=1');
    expect(raw.body).toEqual({ lastUpdateId: START + 700, E: START + 700, T: START + 700, bids: [], asks: [] });
    // Spot's book still shows them.
    const spot = await get(h, '/api/v3/depth?symbol=BTCUSDT&limit=5');
    expect((spot.body as { bids: unknown[] }).bids).toHaveLength(2);
  });

  it('serves klines cut from the trades heard, as the client zips them', async () => {
    h = await startHarness();
    const t0 = START - (START % (5 * MINUTE)); // a 5-minute boundary
    h.clock.now = t0 + 1000;
    h.trade('50000.00', '0.5'); // taker buy (isBuyerMaker false)
    h.clock.now = t0 + 2 * MINUTE;
    h.trade('50100.50', '0.25');
    h.hub.trade({
      symbol: 'BTCUSDT',
      price: fx('49900.00'),
      quantity: fx('0.1'),
      time: t0 + 3 * MINUTE,
      tradeId: 800_001,
      isBuyerMaker: true,
    });
    h.clock.now = t0 + 5 * MINUTE + 10;
    h.trade('50050.00', '1');
    const client = futuresClient(h);
    const five = await client.futuresCandles({ symbol: 'BTCUSDT', interval: '5m' });
    expect(five).toEqual([
      {
        openTime: t0,
        open: '50000.00',
        high: '50100.50',
        low: '49900.00',
        close: '49900.00',
        volume: '0.85000',
        closeTime: t0 + 5 * MINUTE - 1,
        quoteVolume: '42515.12500000', // 25000 + 12525.125 + 4990
        trades: 3,
        baseAssetVolume: '0.75000',
        quoteAssetVolume: '37525.12500000',
      },
      expect.objectContaining({ openTime: t0 + 5 * MINUTE, open: '50050.00', close: '50050.00', volume: '1.00000', trades: 1 }),
    ]);
    const ones = await client.futuresCandles({ symbol: 'BTCUSDT', interval: '1m', limit: 2 });
    expect(ones.map((k) => [k.openTime, k.close])).toEqual([
      [t0 + 3 * MINUTE, '49900.00'],
      [t0 + 5 * MINUTE, '50050.00'],
    ]);
    const fromStart = await client.futuresCandles({ symbol: 'BTCUSDT', interval: '1m', startTime: t0 + MINUTE, limit: 1 });
    expect(fromStart.map((k) => k.openTime)).toEqual([t0 + 2 * MINUTE]);
    const raw = await get(h, `/fapi/v1/klines?symbol=BTCUSDT&interval=1h&endTime=${t0 + 5 * MINUTE}`);
    expect((raw.body as unknown as unknown[][])[0]?.[11]).toBe('0');
  });

  it('serves bookTicker: a one-tick spread around the last trade, zero sizes, and the futures time field', async () => {
    h = await startHarness();
    h.trade('50000.10');
    h.clock.now = START + 300;
    const all = await futuresClient(h).futuresAllBookTickers();
    expect(all).toEqual({
      BTCUSDT: { symbol: 'BTCUSDT', bidPrice: '50000.10', bidQty: '0.00000', askPrice: '50000.11', askQty: '0.00000', time: START + 300 },
      ETHUSDT: { symbol: 'ETHUSDT', bidPrice: '0.00', bidQty: '0.0000', askPrice: '0.00', askQty: '0.0000', time: START + 300 },
    });
    const one = await get(h, '/fapi/v1/ticker/bookTicker?symbol=BTCUSDT');
    expect(one.body).toEqual({
      symbol: 'BTCUSDT',
      bidPrice: '50000.10',
      bidQty: '0.00000',
      askPrice: '50000.11',
      askQty: '0.00000',
      time: START + 300,
    });
  });

  it('refuses an unknown symbol, a bad limit and a bad interval in Binance shape', async () => {
    h = await startHarness();
    const client = futuresClient(h);
    expect(await refusal(client.futuresBook({ symbol: 'NOPEUSDT' }))).toMatchObject({ code: -1121, message: 'Invalid symbol.' });
    expect(await refusal(client.futuresCandles({ symbol: 'BTCUSDT', interval: '7m' }))).toMatchObject({
      code: -1120,
      message: 'Invalid interval.',
    });
    const bad = await get(h, '/fapi/v1/depth?symbol=BTCUSDT&limit=1001');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ code: -1130, msg: "Data sent for parameter 'limit' is not valid." });
    const klines = await get(h, '/fapi/v1/klines?symbol=BTCUSDT&interval=1m&limit=1501');
    expect(klines.body).toEqual({ code: -1130, msg: "Data sent for parameter 'limit' is not valid." });
    const ticker = await get(h, '/fapi/v1/ticker/bookTicker?symbol=NOPEUSDT');
    expect(ticker.body).toEqual({ code: -1121, msg: 'Invalid symbol.' });
  });
});

describe('USD-M depth, klines and bookTicker weights', () => {
  it('counts them on the /fapi limiter by limit and symbol, apart from spot', async () => {
    h = await startHarness();
    const used = async (path: string): Promise<string | null> => (await get(h as Harness, path)).headers.get('x-mbx-used-weight-1m');
    expect(await used('/fapi/v1/depth?symbol=BTCUSDT')).toBe('10'); // default 500
    expect(await used('/fapi/v1/depth?symbol=BTCUSDT&limit=50')).toBe('12');
    expect(await used('/fapi/v1/depth?symbol=BTCUSDT&limit=100')).toBe('17');
    expect(await used('/fapi/v1/depth?symbol=BTCUSDT&limit=1000')).toBe('37');
    expect(await used('/fapi/v1/klines?symbol=BTCUSDT&interval=1m')).toBe('42'); // default 500
    expect(await used('/fapi/v1/klines?symbol=BTCUSDT&interval=1m&limit=99')).toBe('43');
    expect(await used('/fapi/v1/klines?symbol=BTCUSDT&interval=1m&limit=100')).toBe('45');
    expect(await used('/fapi/v1/klines?symbol=BTCUSDT&interval=1m&limit=1001')).toBe('55');
    expect(await used('/fapi/v1/ticker/bookTicker?symbol=BTCUSDT')).toBe('57');
    expect(await used('/fapi/v1/ticker/bookTicker')).toBe('62');
    expect(await used('/api/v3/ping')).toBe('1');
  });
});
