// Loaded first so that node-fetch is wrapped for this process whichever test file imports binance-api-node first.
import '../../../../src/exchange/binance/retry-after-capture.js';
import BinanceImport from 'binance-api-node';
import { afterEach, describe, expect, it } from 'vitest';
import { fx } from '../../../../src/domain/index.js';
import { API_KEY, API_SECRET, type Harness, START, get, startHarness } from './harness.js';

type BinanceFactory = typeof BinanceImport.default;
const Binance: BinanceFactory = typeof BinanceImport === 'function' ? (BinanceImport as unknown as BinanceFactory) : BinanceImport.default;

const MINUTE = 60_000;
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('spot klines and uiKlines through binance-api-node', () => {
  it('serves 12-column klines at 8 decimals, cut from the trades heard, as the client zips them', async () => {
    h = await startHarness();
    const t0 = START - (START % (5 * MINUTE));
    h.clock.now = t0 + 1000;
    h.trade('50000.00', '0.5');
    h.clock.now = t0 + 2 * MINUTE;
    h.trade('50100.50', '0.25');
    h.hub.trade({
      symbol: 'BTCUSDT',
      price: fx('49900.00'),
      quantity: fx('0.1'),
      time: t0 + 3 * MINUTE,
      tradeId: 900_001,
      isBuyerMaker: true,
    });
    h.clock.now = t0 + 5 * MINUTE + 10;
    h.trade('50050.00', '1');
    const client = Binance({ apiKey: API_KEY, apiSecret: API_SECRET, httpBase: h.server.httpBase, getTime: () => h!.clock.now });
    const five = await client.candles({ symbol: 'BTCUSDT', interval: '5m' });
    expect(five[0]).toEqual({
      openTime: t0,
      open: '50000.00000000',
      high: '50100.50000000',
      low: '49900.00000000',
      close: '49900.00000000',
      volume: '0.85000000',
      closeTime: t0 + 5 * MINUTE - 1,
      quoteVolume: '42515.12500000',
      trades: 3,
      baseAssetVolume: '0.75000000',
      quoteAssetVolume: '37525.12500000',
    });
    expect(five.map((k) => k.openTime)).toEqual([t0, t0 + 5 * MINUTE]);
    const last = await client.candles({ symbol: 'BTCUSDT', interval: '1m', limit: 1 });
    expect(last.map((k) => [k.openTime, k.close])).toEqual([[t0 + 5 * MINUTE, '50050.00000000']]);
    // uiKlines: the same rows over the sandbox's own trades.
    const ui = await get(h, `/api/v3/uiKlines?symbol=BTCUSDT&interval=5m`);
    const raw = await get(h, `/api/v3/klines?symbol=BTCUSDT&interval=5m`);
    expect(ui.body).toEqual(raw.body);
    expect(raw.headers.get('x-mbx-used-weight-1m')).toBeDefined();
  });

  it('refuses an interval it does not serve, a limit over 1000, a time zone other than UTC and an unknown symbol', async () => {
    h = await startHarness();
    const answer = async (q: string) => {
      const r = await get(h!, `/api/v3/klines?${q}`);
      return [r.status, r.body.code, r.body.msg];
    };
    expect(await answer('symbol=BTCUSDT&interval=1w')).toEqual([400, -1120, 'Invalid interval.']);
    expect((await answer('symbol=BTCUSDT&interval=1m&limit=1001')).slice(0, 2)).toEqual([400, -1130]);
    expect(await answer('symbol=BTCUSDT&interval=1m&timeZone=8')).toEqual([400, -1130, "Data sent for parameter 'timeZone' is not valid."]);
    expect((await answer('symbol=NOPE&interval=1m')).slice(0, 2)).toEqual([400, -1121]);
  });
});
