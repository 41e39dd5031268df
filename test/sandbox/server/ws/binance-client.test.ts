// Loaded first so that node-fetch is wrapped for this process whichever test file imports binance-api-node first.
import '../../../../src/exchange/binance/retry-after-capture.js';
import BinanceImport from 'binance-api-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fx } from '../../../../src/domain/index.js';
import { API_KEY, API_SECRET, NOW, type Sandbox, startSandbox, tick } from './harness.js';

// A CommonJS package with an ES-style default export: NodeNext types it as `.default`, vitest's interop hands over the function.
type BinanceFactory = typeof BinanceImport.default;
const Binance: BinanceFactory = typeof BinanceImport === 'function' ? (BinanceImport as unknown as BinanceFactory) : BinanceImport.default;

let sandbox: Sandbox;
const cleanups: Array<() => void> = [];

function client(getTime = (): number => NOW) {
  const base = `127.0.0.1:${sandbox.port}`;
  return Binance({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    httpBase: `http://${base}`,
    wsBase: `ws://${base}/ws`,
    wsApi: `ws://${base}/ws-api/v3`,
    getTime,
  });
}

/** Collects what a callback receives and lets a test await the n-th item. */
function collector<T>() {
  const items: T[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  return {
    items,
    push(item: T): void {
      items.push(item);
      for (const w of waiters.splice(0))
        if (items.length >= w.n) w.resolve();
        else waiters.push(w);
    },
    async count(n: number): Promise<T[]> {
      if (items.length < n) await new Promise<void>((resolve) => waiters.push({ n, resolve }));
      return items;
    },
  };
}

beforeEach(async () => {
  sandbox = await startSandbox();
});

afterEach(async () => {
  for (const clean of cleanups.splice(0)) clean();
  await sandbox.close();
});

describe('binance-api-node against the sandbox WebSockets', () => {
  it('ws.trades hears a tape trade', async () => {
    const trades = collector<any>();
    const opened = sandbox.connected('/ws/btcusdt@trade');
    cleanups.push(client().ws.trades('BTCUSDT', (t) => trades.push(t)));
    await opened;
    const t = tick('50000.5', '0.2', NOW - 1);
    sandbox.hub.trade(t);
    const [got] = await trades.count(1);
    expect(got).toMatchObject({
      eventType: 'trade',
      eventTime: NOW,
      tradeTime: NOW - 1,
      symbol: 'BTCUSDT',
      price: '50000.50000000',
      quantity: '0.20000000',
      isBuyerMaker: false,
      tradeId: t.tradeId,
    });
  });

  it('ws.user resolves, then a placed and filled order arrives as NEW, TRADE and account positions', async () => {
    const events = collector<any>();
    const clean = await client().ws.user((e) => events.push(e));
    cleanups.push(clean);
    const placed = sandbox.hub.placeOrder({
      clientOrderId: 'grid-7',
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      price: fx('50000'),
      quantity: fx('0.02'),
    });
    expect(placed.ok).toBe(true);
    sandbox.hub.trade(tick('49990', '0.015', NOW + 10));
    sandbox.hub.trade(tick('49980', '1', NOW + 20));
    const got = await events.count(6);
    expect(got.map((e) => e.eventType)).toEqual([
      'executionReport',
      'outboundAccountPosition',
      'executionReport',
      'outboundAccountPosition',
      'executionReport',
      'outboundAccountPosition',
    ]);
    const [created, locked, partial, , full, after] = got;
    expect(created).toMatchObject({
      symbol: 'BTCUSDT',
      newClientOrderId: 'grid-7',
      originalClientOrderId: '',
      side: 'BUY',
      orderType: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.02000000',
      price: '50000.00000000',
      executionType: 'NEW',
      orderStatus: 'NEW',
      orderRejectReason: 'NONE',
      lastTradeQuantity: '0.00000000',
      totalTradeQuantity: '0.00000000',
      commission: '0',
      commissionAsset: null,
      tradeId: -1,
      isOrderWorking: true,
      creationTime: NOW,
    });
    expect(locked.balances).toEqual([{ asset: 'USDT', free: '9000.00000000', locked: '1000.00000000' }]);
    expect(partial).toMatchObject({
      executionType: 'TRADE',
      orderStatus: 'PARTIALLY_FILLED',
      orderId: created.orderId,
      lastTradeQuantity: '0.01500000',
      totalTradeQuantity: '0.01500000',
      priceLastTrade: '50000.00000000',
      commission: '0.00001500',
      commissionAsset: 'BTC',
      isBuyerMaker: true,
      totalQuoteTradeQuantity: '750.00000000',
      lastQuoteTransacted: '750.00000000',
    });
    expect(full).toMatchObject({
      executionType: 'TRADE',
      orderStatus: 'FILLED',
      lastTradeQuantity: '0.00500000',
      totalTradeQuantity: '0.02000000',
      commission: '0.00000500',
      commissionAsset: 'BTC',
      isOrderWorking: false,
    });
    expect(after.balances).toEqual([
      { asset: 'BTC', free: '1.01998000', locked: '0.00000000' },
      { asset: 'USDT', free: '9000.00000000', locked: '0.00000000' },
    ]);
  });

  it('ws.user rejects with Binance code when the key is wrong', async () => {
    const base = `127.0.0.1:${sandbox.port}`;
    const bad = Binance({
      apiKey: 'nope',
      apiSecret: API_SECRET,
      httpBase: `http://${base}`,
      wsBase: `ws://${base}/ws`,
      wsApi: `ws://${base}/ws-api/v3`,
      getTime: () => NOW,
    });
    await expect(bad.ws.user(() => undefined)).rejects.toMatchObject({ code: -2015 });
  });
});
