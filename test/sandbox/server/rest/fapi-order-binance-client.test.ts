// Loaded first so that node-fetch is wrapped for this process whichever test file imports binance-api-node first.
import '../../../../src/exchange/binance/retry-after-capture.js';
import BinanceImport from 'binance-api-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_KEY, API_SECRET, type Harness, START, startHarness } from './harness.js';
import { refusal } from './rest-client.js';

type BinanceFactory = typeof BinanceImport.default;
const Binance: BinanceFactory = typeof BinanceImport === 'function' ? (BinanceImport as unknown as BinanceFactory) : BinanceImport.default;

type Row = Record<string, unknown>;
/** binance-api-node's futures trading and account calls as the wire sees them (its .d.ts wants enum members). */
interface FuturesClient {
  futuresOrder(p: Row): Promise<Row>;
  futuresBatchOrders(p: Row): Promise<Row[]>;
  futuresCancelOrder(p: Row): Promise<Row>;
  futuresCancelBatchOrders(p: Row): Promise<Row[]>;
  futuresCancelAllOpenOrders(p: Row): Promise<Row>;
  futuresGetOrder(p: Row): Promise<Row>;
  futuresOpenOrders(p: Row): Promise<Row[]>;
  futuresAllOrders(p: Row): Promise<Row[]>;
  futuresPositionRisk(p?: Row): Promise<Row[]>;
  futuresAccountBalance(p?: Row): Promise<Row[]>;
  futuresAccountInfo(p?: Row): Promise<Row & { assets: Row[]; positions: Row[] }>;
  futuresUserTrades(p: Row): Promise<Row[]>;
  futuresIncome(p?: Row): Promise<Row[]>;
  futuresLeverage(p: Row): Promise<Row>;
  futuresMarginType(p: Row): Promise<Row>;
  futuresLeverageBracket(p?: Row): Promise<Row | Row[]>;
  futuresCommissionRate(p: Row): Promise<Row>;
  futuresPositionMode(p?: Row): Promise<Row>;
  getInfo(): Record<string, Record<string, string>>;
}

/** The real client with explicit futures URLs (never `testnet: true`, which sends futures REST to Binance's demo host). */
function futuresClient(h: Harness): FuturesClient {
  return Binance({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    httpBase: h.server.httpBase,
    httpFutures: h.server.httpBase,
    getTime: () => h.clock.now,
  }) as unknown as FuturesClient;
}

let h: Harness;
let client: FuturesClient;

beforeEach(async () => {
  h = await startHarness();
  client = futuresClient(h);
  h.trade('50000.00');
});

afterEach(async () => {
  await h.close();
});

describe('USD-M trading and account endpoints through binance-api-node', () => {
  it('places with the library defaults (LIMIT, GTC, its own client id), queries, lists and cancels', async () => {
    const placed = await client.futuresOrder({ symbol: 'BTCUSDT', side: 'BUY', price: '49000', quantity: '0.002' });
    expect(placed).toMatchObject({
      symbol: 'BTCUSDT',
      status: 'NEW',
      type: 'LIMIT',
      timeInForce: 'GTC',
      price: '49000.00',
      origQty: '0.00200',
    });
    // binance-api-node names futures orders "x-cvBPrNm9" + 22 characters (PROTOCOLS-FUTURES C).
    expect(placed.clientOrderId).toMatch(/^x-cvBPrNm9.{22}$/);
    // The library keeps the ORDERS headers per host (PROTOCOLS-FUTURES A.0).
    expect(Object.values(client.getInfo())).toContainEqual(expect.objectContaining({ orderCount10s: '1', orderCount1m: '1' }));
    const orderId = placed.orderId as number;
    expect(await client.futuresGetOrder({ symbol: 'BTCUSDT', orderId })).toMatchObject({ orderId, status: 'NEW', time: START });
    expect(await client.futuresGetOrder({ symbol: 'BTCUSDT', origClientOrderId: placed.clientOrderId })).toMatchObject({ orderId });
    expect((await client.futuresOpenOrders({ symbol: 'BTCUSDT' })).map((o) => o.orderId)).toEqual([orderId]);
    expect(await client.futuresCancelOrder({ symbol: 'BTCUSDT', orderId })).toMatchObject({ orderId, status: 'CANCELED' });
    expect(await client.futuresOpenOrders({ symbol: 'BTCUSDT' })).toEqual([]);
    expect((await client.futuresAllOrders({ symbol: 'BTCUSDT' })).map((o) => o.status)).toEqual(['CANCELED']);
    expect(await refusal(client.futuresCancelOrder({ symbol: 'BTCUSDT', orderId }))).toMatchObject({ code: -2011 });
  });

  it('serves the sandbox faults on futures orders too: unknownAfterPlace places, answers -1007, and the order is found', async () => {
    h.server.faults.arm({ kind: 'unknownAfterPlace', match: 'POST /fapi/v1/order' });
    const e = await refusal(
      client.futuresOrder({ symbol: 'BTCUSDT', side: 'BUY', price: '49000', quantity: '0.002', newClientOrderId: 'g-7' }),
    );
    expect(e.code).toBe(-1007);
    expect(await client.futuresGetOrder({ symbol: 'BTCUSDT', origClientOrderId: 'g-7' })).toMatchObject({
      status: 'NEW',
      price: '49000.00',
    });
  });

  it('places and cancels a batch (a JSON-stringified array, as the library does not stringify)', async () => {
    const batch = await client.futuresBatchOrders({
      batchOrders: JSON.stringify([
        { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '49000', quantity: '0.002', newClientOrderId: 'b-1' },
        { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTX', price: '50000', quantity: '0.002' },
        { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', price: '51000', quantity: '0.002', newClientOrderId: 's-1' },
      ]),
    });
    expect(batch.map((r) => r.clientOrderId ?? r.code)).toEqual(['b-1', -5022, 's-1']);
    const canceled = await client.futuresCancelBatchOrders({ symbol: 'BTCUSDT', origClientOrderIdList: JSON.stringify(['b-1', 's-1']) });
    expect(canceled.map((r) => [r.clientOrderId, r.status])).toEqual([
      ['b-1', 'CANCELED'],
      ['s-1', 'CANCELED'],
    ]);
    expect(await client.futuresCancelAllOpenOrders({ symbol: 'BTCUSDT' })).toEqual({
      code: 200,
      msg: 'The operation of cancel all open order is done.',
    });
  });

  it('trades, then reads positions, balances, account, fills and income', async () => {
    h.clock.now = START + 1000;
    await client.futuresOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01' });
    h.clock.now = START + 2000;
    h.trade('51000.00');
    const [btc] = await client.futuresPositionRisk({ symbol: 'BTCUSDT' });
    expect(btc).toMatchObject({
      positionAmt: '0.01000',
      entryPrice: '50000.00000000',
      unRealizedProfit: '10.00000000',
      leverage: '20',
      marginType: 'cross',
    });
    expect(await client.futuresAccountBalance()).toEqual([
      expect.objectContaining({ asset: 'USDT', balance: '9999.75000000', crossUnPnl: '10.00000000' }),
    ]);
    const info = await client.futuresAccountInfo();
    expect(info).toMatchObject({ canTrade: true, totalWalletBalance: '9999.75000000' });
    expect(info.positions.find((p) => p.symbol === 'BTCUSDT')).toMatchObject({ positionAmt: '0.01000', leverage: '20', isolated: false });
    await client.futuresOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: '0.01', reduceOnly: 'true' });
    const trades = await client.futuresUserTrades({ symbol: 'BTCUSDT' });
    expect(trades.map((t) => [t.side, t.price, t.realizedPnl, t.commission])).toEqual([
      ['BUY', '50000.00', '0.00000000', '0.25000000'],
      ['SELL', '51000.00', '10.00000000', '0.25500000'],
    ]);
    const income = await client.futuresIncome({ symbol: 'BTCUSDT' });
    expect(income.filter((r) => r.incomeType === 'REALIZED_PNL').map((r) => r.income)).toEqual(['10.00000000']);
    expect(income.filter((r) => r.incomeType === 'COMMISSION').map((r) => r.income)).toEqual(['-0.25000000', '-0.25500000']);
  });

  it('sets leverage and margin type, and reads brackets, commission rates and the position mode', async () => {
    expect(await client.futuresLeverage({ symbol: 'ETHUSDT', leverage: 50 })).toEqual({
      leverage: 50,
      maxNotionalValue: expect.any(String) as string,
      symbol: 'ETHUSDT',
    });
    expect(await client.futuresMarginType({ symbol: 'ETHUSDT', marginType: 'ISOLATED' })).toEqual({ code: 200, msg: 'success' });
    expect(await refusal(client.futuresMarginType({ symbol: 'ETHUSDT', marginType: 'ISOLATED' }))).toMatchObject({ code: -4046 });
    const [eth] = await client.futuresPositionRisk({ symbol: 'ETHUSDT' });
    expect(eth).toMatchObject({ leverage: '50', marginType: 'isolated' });
    const brackets = (await client.futuresLeverageBracket({ symbol: 'BTCUSDT' })) as Row & { brackets: Row[] };
    expect(brackets.brackets[0]).toMatchObject({ bracket: 1, initialLeverage: 125, maintMarginRatio: 0.004 });
    expect(await client.futuresCommissionRate({ symbol: 'BTCUSDT' })).toEqual({
      symbol: 'BTCUSDT',
      makerCommissionRate: '0.0002',
      takerCommissionRate: '0.0005',
    });
    expect(await client.futuresPositionMode({})).toEqual({ dualSidePosition: false });
  });
});
