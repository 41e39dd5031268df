// Loaded first so that node-fetch is wrapped for this process whichever test file imports binance-api-node first.
import '../../../../src/exchange/binance/retry-after-capture.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import BinanceImport from 'binance-api-node';
import { afterEach, describe, expect, it } from 'vitest';
import { FundingRateSeries, fx } from '../../../../src/domain/index.js';
import { API_KEY, API_SECRET, type Harness, START, get, startHarness } from './harness.js';
import { refusal } from './rest-client.js';

type BinanceFactory = typeof BinanceImport.default;
const Binance: BinanceFactory = typeof BinanceImport === 'function' ? (BinanceImport as unknown as BinanceFactory) : BinanceImport.default;

type Row = Record<string, unknown>;
/** binance-api-node's futures market calls as the wire sees them (typed futuresTime yields {serverTime}; it yields the number). */
interface FuturesClient {
  futuresPing(): Promise<boolean>;
  futuresTime(): Promise<number>;
  futuresExchangeInfo(): Promise<Row & { rateLimits: Row[]; symbols: (Row & { filters: Row[] })[] }>;
  futuresPrices(p?: Row): Promise<Record<string, string>>;
  futuresMarkPrice(p?: Row): Promise<Row | Row[]>;
  futuresFundingRate(p: Row): Promise<Row[]>;
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

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const FUNDING_DIR = path.resolve(repoRoot, '../shared/data/futures/um/fundingRate');
function may2025Series(): FundingRateSeries {
  const name = 'BTCUSDT-fundingRate-2025-05.csv';
  const s = FundingRateSeries.fromFiles([{ name, text: readFileSync(path.join(FUNDING_DIR, name), 'utf8') }]);
  if (!s.ok) throw new Error(s.error.message);
  return s.value;
}

const HOUR = 3_600_000;
let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('USD-M market endpoints through binance-api-node', () => {
  it('answers ping and time on /fapi/v1', async () => {
    h = await startHarness();
    const client = futuresClient(h);
    expect(await client.futuresPing()).toBe(true);
    expect(await client.futuresTime()).toBe(START);
    h.clock.now = START + 1234;
    expect(await client.futuresTime()).toBe(START + 1234);
  });

  it('serves exchangeInfo in the USD-M shape: perpetuals on the instruments tick and step, futures filters and limits', async () => {
    h = await startHarness();
    const info = await futuresClient(h).futuresExchangeInfo();
    expect(info).toMatchObject({ timezone: 'UTC', serverTime: START, futuresType: 'U_MARGINED', exchangeFilters: [] });
    expect(info.assets).toEqual([{ asset: 'USDT', marginAvailable: true, autoAssetExchange: '-100' }]);
    expect(info.rateLimits).toEqual([
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 2400 },
      { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: 1200 },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 300 },
    ]);
    expect(info.symbols.map((s) => s.symbol)).toEqual(['BTCUSDT', 'ETHUSDT']);
    const [btc, eth] = info.symbols as [Row & { filters: Row[] }, Row & { filters: Row[] }];
    expect(btc).toMatchObject({
      symbol: 'BTCUSDT',
      pair: 'BTCUSDT',
      contractType: 'PERPETUAL',
      deliveryDate: 4133404800000,
      status: 'TRADING',
      baseAsset: 'BTC',
      quoteAsset: 'USDT',
      marginAsset: 'USDT',
      pricePrecision: 2,
      quantityPrecision: 5,
      baseAssetPrecision: 8,
      quotePrecision: 8,
      underlyingType: 'COIN',
      orderTypes: ['LIMIT', 'MARKET'],
      timeInForce: ['GTC', 'IOC', 'FOK', 'GTX'],
    });
    expect(typeof btc.onboardDate).toBe('number');
    expect(btc.filters).toEqual([
      { filterType: 'PRICE_FILTER', minPrice: '0.01', maxPrice: '1000000', tickSize: '0.01' },
      { filterType: 'LOT_SIZE', minQty: '0.00001', maxQty: '9000', stepSize: '0.00001' },
      { filterType: 'MARKET_LOT_SIZE', minQty: '0.00001', maxQty: '100', stepSize: '0.00001' },
      { filterType: 'MAX_NUM_ORDERS', limit: 200 },
      { filterType: 'MAX_NUM_ALGO_ORDERS', limit: 10 },
      { filterType: 'MIN_NOTIONAL', notional: '50' },
      { filterType: 'PERCENT_PRICE', multiplierUp: '1.0500', multiplierDown: '0.9500', multiplierDecimal: '4' },
    ]);
    expect(eth).toMatchObject({ pricePrecision: 2, quantityPrecision: 4 });
    expect(eth.filters).toContainEqual({ filterType: 'MIN_NOTIONAL', notional: '5' });
  });

  it('takes per-symbol contract terms as options', async () => {
    h = await startHarness({ futures: { contracts: { ETHUSDT: { minNotional: fx('20'), multiplierUp: fx('1.1') } } } });
    const info = await futuresClient(h).futuresExchangeInfo();
    const eth = info.symbols.find((s) => s.symbol === 'ETHUSDT') as Row & { filters: Row[] };
    expect(eth.filters).toContainEqual({ filterType: 'MIN_NOTIONAL', notional: '20' });
    expect(eth.filters).toContainEqual({
      filterType: 'PERCENT_PRICE',
      multiplierUp: '1.1000',
      multiplierDown: '0.9500',
      multiplierDecimal: '4',
    });
  });

  it('serves ticker/price for one symbol and all, with the last trade time', async () => {
    h = await startHarness();
    const client = futuresClient(h);
    h.clock.now = START + 5000;
    h.trade('50000.10', '0.5');
    expect(await client.futuresPrices({ symbol: 'BTCUSDT' })).toEqual({ BTCUSDT: '50000.10' });
    expect(await client.futuresPrices()).toEqual({ BTCUSDT: '50000.10', ETHUSDT: '0.00' });
    h.clock.now = START + 9000;
    const raw = await get(h, '/fapi/v1/ticker/price?symbol=BTCUSDT');
    expect(raw.body).toEqual({ symbol: 'BTCUSDT', price: '50000.10', time: START + 5000 });
    const v2 = await get(h, '/fapi/v2/ticker/price');
    expect(v2.body).toEqual([
      { symbol: 'BTCUSDT', price: '50000.10', time: START + 5000 },
      { symbol: 'ETHUSDT', price: '0.00', time: START + 9000 },
    ]);
  });

  it('serves premiumIndex: mark = the last trade at or before the clock, funding on the 8 h schedule at the constant rate', async () => {
    h = await startHarness();
    const client = futuresClient(h);
    h.trade('50000.00');
    // A trade stamped ahead of the clock (a read-ahead replay) moves the mark only once the clock reaches it.
    h.hub.trade({ symbol: 'BTCUSDT', price: fx('50100.00'), quantity: fx('1'), time: START + 2000, tradeId: 900_001, isBuyerMaker: true });
    const nextFunding = Date.UTC(2023, 10, 15, 0, 0, 0); // START is 2023-11-14T22:13:20Z
    const expected = {
      symbol: 'BTCUSDT',
      markPrice: '50000.00000000',
      indexPrice: '50000.00000000',
      estimatedSettlePrice: '50000.00000000',
      lastFundingRate: '0.00010000',
      interestRate: '0.00010000',
      nextFundingTime: nextFunding,
      time: START,
    };
    expect(await client.futuresMarkPrice({ symbol: 'BTCUSDT' })).toEqual(expected);
    h.clock.now = START + 2000;
    const later = await client.futuresMarkPrice({ symbol: 'BTCUSDT' });
    expect(later).toMatchObject({ markPrice: '50100.00000000', indexPrice: '50100.00000000', time: START + 2000 });
    // At the settlement instant itself the next one is already shown (FUNDING.md).
    h.clock.now = nextFunding;
    expect(await client.futuresMarkPrice({ symbol: 'BTCUSDT' })).toMatchObject({ nextFundingTime: nextFunding + 8 * HOUR });
    const all = (await client.futuresMarkPrice()) as Row[];
    expect(all.map((r) => [r.symbol, r.markPrice])).toEqual([
      ['BTCUSDT', '50100.00000000'],
      ['ETHUSDT', '0.00000000'],
    ]);
  });

  it('takes a constant funding rate as an option', async () => {
    h = await startHarness({ futures: { fundingRate: fx('-0.00025') } });
    expect(await futuresClient(h).futuresMarkPrice({ symbol: 'ETHUSDT' })).toMatchObject({ lastFundingRate: '-0.00025000' });
  });

  it('replays a funding-rate series: history up to now, the coming rate in premiumIndex, none for a constant-rate symbol', async () => {
    // 2025-05-10 12:00 UTC: the series has settled 00:00, 08:00 of each of May 1st to 10th, and 16:00 of the 1st to 9th.
    const now = Date.UTC(2025, 4, 10, 12, 0, 0);
    h = await startHarness({ start: now, futures: { fundingSeries: { BTCUSDT: may2025Series() } } });
    const client = futuresClient(h);
    const rows = await client.futuresFundingRate({ symbol: 'BTCUSDT' });
    expect(rows).toHaveLength(29);
    expect(rows[0]).toEqual({ symbol: 'BTCUSDT', fundingRate: '0.00003519', fundingTime: Date.UTC(2025, 4, 1, 0), markPrice: '' });
    // calc_time 1746864000000 (2025-05-10 08:00) in the CSV, rate 0.0001.
    expect(rows[28]).toEqual({ symbol: 'BTCUSDT', fundingRate: '0.00010000', fundingTime: Date.UTC(2025, 4, 10, 8), markPrice: '' });
    // Binance's calc_time jitter (…400001) is moved to the settlement instant.
    expect(rows[2]).toMatchObject({ fundingRate: '-0.00008028', fundingTime: Date.UTC(2025, 4, 1, 16) });

    const fromStart = await client.futuresFundingRate({ symbol: 'BTCUSDT', startTime: Date.UTC(2025, 4, 1, 8), limit: 2 });
    expect(fromStart.map((r) => [r.fundingTime, r.fundingRate])).toEqual([
      [Date.UTC(2025, 4, 1, 8), '0.00005755'],
      [Date.UTC(2025, 4, 1, 16), '-0.00008028'],
    ]);
    const latest = await client.futuresFundingRate({ symbol: 'BTCUSDT', limit: 1 });
    expect(latest.map((r) => r.fundingTime)).toEqual([Date.UTC(2025, 4, 10, 8)]);
    expect(await client.futuresFundingRate({ symbol: 'ETHUSDT' })).toEqual([]);

    // The coming settlement (16:00, calc_time 1746892800001) has rate 0.00004257 in the file.
    expect(await client.futuresMarkPrice({ symbol: 'BTCUSDT' })).toMatchObject({
      lastFundingRate: '0.00004257',
      nextFundingTime: Date.UTC(2025, 4, 10, 16),
    });
    expect(await client.futuresMarkPrice({ symbol: 'ETHUSDT' })).toMatchObject({ lastFundingRate: '0.00010000' });
  });

  it('shows a zero coming rate past the end of a series, where nothing is settled', async () => {
    h = await startHarness({ start: Date.UTC(2025, 6, 1, 1), futures: { fundingSeries: { BTCUSDT: may2025Series() } } });
    expect(await futuresClient(h).futuresMarkPrice({ symbol: 'BTCUSDT' })).toMatchObject({ lastFundingRate: '0.00000000' });
  });

  it('refuses an unknown symbol with the futures error shape', async () => {
    h = await startHarness();
    const client = futuresClient(h);
    expect(await refusal(client.futuresMarkPrice({ symbol: 'NOPEUSDT' }))).toMatchObject({ code: -1121, message: 'Invalid symbol.' });
    const raw = await get(h, '/fapi/v1/fundingRate?symbol=BTCUSDT&limit=1001');
    expect(raw.status).toBe(400);
    expect(raw.body).toEqual({ code: -1130, msg: "Data sent for parameter 'limit' is not valid." });
  });
});

describe('USD-M market endpoints over raw HTTP', () => {
  it('serves fundingInfo (not in binance-api-node) with each symbol its interval', async () => {
    h = await startHarness();
    const res = await get(h, '/fapi/v1/fundingInfo');
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      {
        symbol: 'BTCUSDT',
        adjustedFundingRateCap: '0.02500000',
        adjustedFundingRateFloor: '-0.02500000',
        fundingIntervalHours: 8,
        disclaimer: false,
      },
      {
        symbol: 'ETHUSDT',
        adjustedFundingRateCap: '0.02500000',
        adjustedFundingRateFloor: '-0.02500000',
        fundingIntervalHours: 8,
        disclaimer: false,
      },
    ]);
  });

  it('counts /fapi request weight apart from spot, with the weights of the facts file, and refuses past the futures limit', async () => {
    h = await startHarness({ futuresLimits: { weightPerMinute: 15 } });
    const spot = await get(h, '/api/v3/exchangeInfo');
    expect(spot.headers.get('x-mbx-used-weight-1m')).toBe('20');
    const all = await get(h, '/fapi/v1/premiumIndex');
    expect(all.headers.get('x-mbx-used-weight-1m')).toBe('10');
    const one = await get(h, '/fapi/v1/ticker/price?symbol=BTCUSDT');
    expect(one.headers.get('x-mbx-used-weight-1m')).toBe('11');
    const info = await get(h, '/fapi/v1/exchangeInfo');
    expect(info.headers.get('x-mbx-used-weight-1m')).toBe('12');
    expect((info.body.rateLimits as Row[])[0]).toMatchObject({ rateLimitType: 'REQUEST_WEIGHT', limit: 15 });
    const over = await get(h, '/fapi/v1/premiumIndex');
    expect(over.status).toBe(429);
    expect(over.body.code).toBe(-1003);
    // Spot's own budget is untouched by futures calls.
    expect((await get(h, '/api/v3/ping')).headers.get('x-mbx-used-weight-1m')).toBe('21');
  });
});
