// Loaded first so that node-fetch is wrapped for this process whichever test file imports binance-api-node first.
import '../../../../src/exchange/binance/retry-after-capture.js';
import BinanceImport from 'binance-api-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fx } from '../../../../src/domain/index.js';
import { API_KEY, API_SECRET, NOW } from './harness.js';
import { type FapiSandbox, newOrderEvent, position, startFapiSandbox } from './fapi-harness.js';

// A CommonJS package with an ES-style default export: NodeNext types it as `.default`, vitest's interop hands over the function.
type BinanceFactory = typeof BinanceImport.default;
const Binance: BinanceFactory = typeof BinanceImport === 'function' ? (BinanceImport as unknown as BinanceFactory) : BinanceImport.default;

/** binance-api-node keeps its WS URLs in one module-global object: every test puts Binance's back afterwards. */
const BINANCE_FUTURES_WS = {
  wsFutures: 'wss://fstream.binance.com/market/ws',
  wsFuturesPublic: 'wss://fstream.binance.com/public/ws',
  wsFuturesMarket: 'wss://fstream.binance.com/market/ws',
  wsFuturesPrivate: 'wss://fstream.binance.com/private/ws',
};

let sb: FapiSandbox;
const cleanups: Array<() => unknown> = [];

/** What the library hands its callback, in arrival order, awaited one by one. */
function collector() {
  const items: any[] = [];
  const waiters: Array<() => void> = [];
  return {
    push(item: unknown): void {
      items.push(item);
      for (const w of waiters.splice(0)) w();
    },
    async nth(n: number): Promise<any> {
      while (items.length <= n) await new Promise<void>((resolve) => waiters.push(resolve));
      return items[n];
    },
  };
}

/** Never `testnet: true`: it would send futures REST to Binance's demo host whatever httpFutures says. */
function client(ws: Record<string, string>) {
  return Binance({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    httpBase: sb.server.httpBase,
    httpFutures: sb.server.httpBase,
    getTime: () => sb.clock.now,
    emitSocketOpens: true,
    ...ws,
  } as Parameters<BinanceFactory>[0]);
}

beforeEach(async () => {
  sb = await startFapiSandbox();
});

afterEach(async () => {
  for (const clean of cleanups.splice(0)) await clean();
  Binance(BINANCE_FUTURES_WS as Parameters<BinanceFactory>[0]);
  await sb.close();
});

describe('binance-api-node ws.futuresUser against the sandbox', () => {
  for (const [label, ws] of [
    ['wsFutures at /fstream/ws', (s: FapiSandbox) => ({ wsFutures: s.server.wsFutures })],
    ['wsFuturesPrivate at /private/ws', (s: FapiSandbox) => ({ wsFuturesPrivate: `${s.base}/private/ws` })],
  ] as const) {
    it(`receives ORDER_TRADE_UPDATE and ACCOUNT_UPDATE transformed by the library (${label})`, async () => {
      const events = collector();
      const clean = await client(ws(sb)).ws.futuresUser((e) => events.push(e));
      cleanups.push(clean);
      expect(await events.nth(0)).toEqual({ eventType: 'open' });
      sb.emit(newOrderEvent());
      sb.emit({
        type: 'account',
        time: NOW,
        reason: 'ORDER',
        balances: [{ asset: 'USDT', walletBalance: fx('9999.98'), crossWalletBalance: fx('9999.98'), balanceChange: 0n }],
        positions: [position()],
      });
      sb.emit({
        type: 'account',
        time: NOW,
        reason: 'FUNDING_FEE',
        balances: [{ asset: 'USDT', walletBalance: fx('9999.9'), crossWalletBalance: fx('9999.9'), balanceChange: 0n }],
        positions: [],
      });
      expect(await events.nth(1)).toMatchObject({
        eventType: 'ORDER_TRADE_UPDATE',
        eventTime: NOW,
        transactionTime: NOW,
        symbol: 'BTCUSDT',
        clientOrderId: 'tg_1_1_B0',
        side: 'BUY',
        orderType: 'LIMIT',
        quantity: '0.002',
        price: '50000',
        executionType: 'NEW',
        orderStatus: 'NEW',
        orderId: 8389765512,
        orderTime: NOW,
        bidsNotional: '100',
        isReduceOnly: false,
        positionSide: 'BOTH',
        realizedProfit: '0',
      });
      expect(await events.nth(2)).toEqual({
        eventType: 'ACCOUNT_UPDATE',
        eventTime: NOW,
        transactionTime: NOW,
        eventReasonType: 'ORDER',
        balances: [{ asset: 'USDT', walletBalance: '9999.98', crossWalletBalance: '9999.98', balanceChange: '0' }],
        positions: [
          {
            symbol: 'BTCUSDT',
            positionAmount: '0.002',
            entryPrice: '50000',
            accumulatedRealized: '1.5',
            unrealizedPnL: '0.2',
            marginType: 'cross',
            isolatedWallet: '0',
            positionSide: 'BOTH',
          },
        ],
      });
      // A cross funding frame's empty `P` is what keeps the library's transform (and the stream) alive.
      expect(await events.nth(3)).toMatchObject({ eventType: 'ACCOUNT_UPDATE', eventReasonType: 'FUNDING_FEE', positions: [] });
    });
  }

  it('hears the engine: futuresOrder placed, then filled on the tape: NEW, ACCOUNT_UPDATE (ORDER) and TRADE', async () => {
    const events = collector();
    const c = client({ wsFutures: sb.server.wsFutures });
    cleanups.push(await c.ws.futuresUser((e) => events.push(e)));
    expect(await events.nth(0)).toEqual({ eventType: 'open' });
    sb.trade('50000');
    const placed = (await c.futuresOrder({
      symbol: 'BTCUSDT',
      side: 'BUY',
      price: '49990',
      quantity: '0.002',
      newClientOrderId: 'tg_7_1_B0',
    } as never)) as unknown as { orderId: number };
    const orderId = placed.orderId;
    expect(await events.nth(1)).toMatchObject({
      eventType: 'ORDER_TRADE_UPDATE',
      clientOrderId: 'tg_7_1_B0',
      orderId,
      executionType: 'NEW',
      orderStatus: 'NEW',
      price: '49990',
      quantity: '0.002',
    });
    sb.clock.now += 1000;
    sb.trade('49980');
    // Binance's observed order on a maker fill (PROTOCOLS-FUTURES B.3): ACCOUNT_UPDATE, then ORDER_TRADE_UPDATE(TRADE).
    const account = await events.nth(2);
    const trade = await events.nth(3);
    expect(account).toMatchObject({
      eventReasonType: 'ORDER',
      positions: [{ symbol: 'BTCUSDT', positionAmount: '0.002', entryPrice: '49990' }],
    });
    expect(account.balances[0]).toMatchObject({ asset: 'USDT' });
    expect(trade).toMatchObject({
      orderId,
      executionType: 'TRADE',
      orderStatus: 'FILLED',
      lastTradeQuantity: '0.002',
      priceLastTrade: '49990',
      isMaker: true,
      commissionAsset: 'USDT',
      bidsNotional: '0',
    });
  });

  it('hears the expiry as USER_DATA_STREAM_EXPIRED', async () => {
    const events = collector();
    const keptAlive = sb.answered('PUT /fapi/v1/listenKey');
    cleanups.push(await client({ wsFutures: sb.server.wsFutures }).ws.futuresUser((e) => events.push(e)));
    expect(await events.nth(0)).toEqual({ eventType: 'open' });
    // The library's own keepalive PUT (sent at once) must have landed before the clock moves past the hour.
    expect(await keptAlive).toBe(200);
    sb.clock.now += 3_600_000 + 60_000;
    sb.trade('50000');
    expect(await events.nth(1)).toMatchObject({ eventType: 'USER_DATA_STREAM_EXPIRED' });
  });
});

describe('binance-api-node futures market streams against the sandbox', () => {
  it('ws.futuresAggTrades and ws.futuresMarkPrice (1s) on the /market root', async () => {
    const trades = collector();
    const marks = collector();
    const c = client({ wsFuturesMarket: `${sb.base}/market/ws` });
    cleanups.push(c.ws.futuresAggTrades('BTCUSDT', (t) => trades.push(t)));
    cleanups.push(c.ws.futuresMarkPrice({ symbol: 'BTCUSDT', updateSpeed: '1s' } as never, (m: unknown) => marks.push(m)));
    await sb.connected(2);
    sb.trade('50000.1', '0.3');
    expect(await trades.nth(0)).toMatchObject({ eventType: 'aggTrade', symbol: 'BTCUSDT', price: '50000.10', quantity: '0.30000' });
    expect(await marks.nth(0)).toMatchObject({ eventType: 'markPriceUpdate', symbol: 'BTCUSDT', markPrice: '50000.10000000' });
  });
});
