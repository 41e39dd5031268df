import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FuturesAccountUpdate, type FuturesExecutionReport, fx } from '../../../src/domain/index.js';
import { ManualClock } from '../../../src/engine/index.js';
import { BinanceFuturesGateway } from '../../../src/exchange/binance-futures/index.js';
import type { FuturesStreamState, FuturesVenueListener } from '../../../src/exchange/index.js';
import { FakeFapi } from './fake-fapi.js';

const ACCOUNT = { apiKey: 'fapi-key', apiSecret: 'fapi-secret' };
const T0 = 1_760_000_000_000;
/** Above 2^53: json-bigint hands it over as a BigNumber, JSON.parse would round it to ...3600. */
const BIG_ID = '8389765512384743573';

const orderBody = (extra: Record<string, string> = {}) =>
  `{"orderId":${BIG_ID},"symbol":"BTCUSDT","status":"NEW","clientOrderId":"tg_g1_1_B0","price":"49000.00","avgPrice":"0.00",` +
  `"origQty":"0.010","executedQty":"0.000","cumQty":"0.000","cumQuote":"0.00000","timeInForce":"GTX","type":"LIMIT",` +
  `"reduceOnly":true,"closePosition":false,"side":"BUY","positionSide":"BOTH","stopPrice":"0.00","workingType":"CONTRACT_PRICE",` +
  `"priceProtect":false,"origType":"LIMIT","priceMatch":"NONE","selfTradePreventionMode":"NONE","goodTillDate":0,"updateTime":${T0}` +
  Object.entries(extra)
    .map(([k, v]) => `,"${k}":${v}`)
    .join('') +
  '}';

const apiError = (status: number, code: number, msg: string) => ({ status, body: JSON.stringify({ code, msg }) });

class Recorder implements FuturesVenueListener {
  readonly reports: FuturesExecutionReport[] = [];
  readonly updates: FuturesAccountUpdate[] = [];
  readonly states: FuturesStreamState[] = [];
  private waiters: Array<{ test: () => boolean; resolve: () => void }> = [];
  onExecution(r: FuturesExecutionReport): void {
    this.reports.push(r);
    this.wake();
  }
  onAccountUpdate(u: FuturesAccountUpdate): void {
    this.updates.push(u);
    this.wake();
  }
  onMarginCall(): void {}
  onStreamState(s: FuturesStreamState): void {
    this.states.push(s);
    this.wake();
  }
  until(test: () => boolean): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }
  private wake(): void {
    const due = this.waiters.filter((w) => w.test());
    this.waiters = this.waiters.filter((w) => !w.test());
    for (const w of due) w.resolve();
  }
}

describe('BinanceFuturesGateway on binance-api-node against a fake /fapi', () => {
  let fapi: FakeFapi;
  let gateway: BinanceFuturesGateway;
  const clock = new ManualClock(T0);

  beforeEach(async () => {
    fapi = await new FakeFapi().start();
    gateway = new BinanceFuturesGateway({ ...ACCOUNT, ...fapi.endpoints, clock });
  });
  afterEach(async () => {
    gateway.close();
    await fapi.close();
  });

  it('places with our client id, BOTH, reduceOnly and GTX on /fapi/v1/order, and keeps an id above 2^53 exact', async () => {
    fapi.on('POST /fapi/v1/order', { body: orderBody() });
    const r = await gateway.placeOrder({
      clientOrderId: 'tg_g1_1_B0',
      symbol: 'BTCUSDT.P',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTX',
      price: fx('49000'),
      quantity: fx('0.01'),
      reduceOnly: true,
    });
    expect(r).toMatchObject({
      ok: true,
      value: { symbol: 'BTCUSDT.P', exchangeOrderId: BIG_ID, status: 'NEW', reduceOnly: true, positionSide: 'BOTH' },
    });
    const sent = fapi.requests.find((q) => q.path === '/fapi/v1/order');
    expect(sent?.method).toBe('POST');
    expect(Object.fromEntries(sent?.query ?? [])).toMatchObject({
      symbol: 'BTCUSDT', // Binance's name on the wire
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTX',
      price: '49000',
      quantity: '0.01',
      reduceOnly: 'true',
      positionSide: 'BOTH',
      newClientOrderId: 'tg_g1_1_B0',
      timestamp: String(T0),
    });
    expect(sent?.query.get('signature')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('asks userTrades by the exact big orderId and books realized PnL and USDT commission per trade', async () => {
    fapi.on('GET /fapi/v1/order', { body: orderBody({ status: '"FILLED"', executedQty: '"0.010"' }) });
    fapi.on('GET /fapi/v1/userTrades', {
      body:
        `[{"buyer":true,"commission":"0.09800000","commissionAsset":"USDT","id":7,"maker":true,"orderId":${BIG_ID},` +
        `"price":"49000","qty":"0.010","quoteQty":"490.00000","realizedPnl":"12.50000000","side":"BUY","positionSide":"BOTH",` +
        `"symbol":"BTCUSDT","time":${T0 + 5}}]`,
    });
    const r = await gateway.orderTrades('BTCUSDT.P', 'tg_g1_1_B0');
    expect(fapi.requests.find((q) => q.path === '/fapi/v1/userTrades')?.query.get('orderId')).toBe(BIG_ID);
    expect(r).toMatchObject({
      ok: true,
      value: [
        {
          status: 'FILLED',
          cumQty: fx('0.01'),
          cumQuote: fx('490'),
          trade: { tradeId: 7, commission: fx('0.098'), commissionAsset: 'USDT', realizedPnl: fx('12.5'), isMaker: true },
        },
      ],
    });
  });

  it('reads the answers the library mistypes: time as a number, cancel-all as {code,msg}, -4046 and -2013 as success', async () => {
    fapi.on('GET /fapi/v1/time', { body: `{"serverTime":${T0 + 2_000}}` });
    expect(await gateway.syncTime()).toEqual({ ok: true, value: 2_000 });
    fapi.on('DELETE /fapi/v1/allOpenOrders', { body: '{"code":200,"msg":"The operation of cancel all open order is done."}' });
    expect(await gateway.cancelAll('BTCUSDT.P')).toEqual({ ok: true, value: undefined });
    fapi.on('POST /fapi/v1/marginType', apiError(400, -4046, 'No need to change margin type.'));
    expect(await gateway.setMarginType('BTCUSDT.P', 'ISOLATED')).toEqual({ ok: true, value: undefined });
    expect(fapi.requests.at(-1)?.query.get('marginType')).toBe('ISOLATED');
    fapi.on('GET /fapi/v1/order', apiError(400, -2013, 'Order does not exist.'));
    expect(await gateway.getOrder('BTCUSDT.P', 'tg_ghost')).toEqual({ ok: true, value: undefined });
    fapi.on('POST /fapi/v1/countdownCancelAll', { body: '{"symbol":"BTCUSDT","countdownTime":"30000"}' });
    expect(await gateway.countdownCancelAll('BTCUSDT.P', 30_000)).toEqual({ ok: true, value: undefined });
    expect(fapi.requests.at(-1)?.query.get('countdownTime')).toBe('30000');
    // Nothing went to the spot API (useServerTime's /api/v3/time) or anywhere but /fapi.
    expect(fapi.requests.every((q) => q.path.startsWith('/fapi/'))).toBe(true);
  });

  it("refuses a second gateway on other stream URLs while the first is open: the library's URLs are process-wide", () => {
    const other = { ...fapi.endpoints, wsFuturesPrivate: 'ws://127.0.0.1:1/private/ws' };
    expect(() => new BinanceFuturesGateway({ ...ACCOUNT, ...other, clock })).toThrow(/process-wide/);
    // The same URLs may be shared, and once the first gateway is closed others may be claimed.
    new BinanceFuturesGateway({ ...ACCOUNT, ...fapi.endpoints, clock }).close();
    gateway.close();
    const next = new BinanceFuturesGateway({ ...ACCOUNT, ...other, clock });
    next.close();
  });

  it('refuses an account in hedge mode with a clear failure', async () => {
    fapi.on('GET /fapi/v1/positionSide/dual', { body: '{"dualSidePosition":true}' });
    const r = await gateway.positionMode();
    expect(r).toMatchObject({ ok: false, error: { kind: 'rejected', code: 'HEDGE_MODE' } });
    fapi.on('GET /fapi/v1/positionSide/dual', { body: '{"dualSidePosition":false}' });
    expect(await gateway.positionMode()).toEqual({ ok: true, value: 'one-way' });
  });

  it.each([
    [-2019, 'Margin is insufficient.'],
    [-4164, "Order's notional must be no smaller than 5.0 (unless you choose reduce only)"],
    [-5022, 'Due to the order could not be executed as maker, the Post Only order will be rejected.'],
    [-2022, 'ReduceOnly Order is rejected.'],
    [-4116, 'ClientOrderId is duplicated.'],
  ])('classifies %i from the wire as rejected', async (code, msg) => {
    fapi.on('POST /fapi/v1/order', apiError(400, code, msg));
    const r = await gateway.placeOrder({ clientOrderId: 'tg_x', symbol: 'BTCUSDT.P', side: 'BUY', type: 'MARKET', quantity: fx('0.001') });
    expect(r).toEqual({ ok: false, error: { kind: 'rejected', code: `BINANCE_${code}`, message: msg } });
  });

  it('classifies -1008 retryable, -1007 and a 503 page unknown, a 429 rate limited with its Retry-After', async () => {
    const market = { clientOrderId: 'tg_x', symbol: 'BTCUSDT.P', side: 'BUY', type: 'MARKET', quantity: fx('0.001') } as const;
    fapi.on('POST /fapi/v1/order', apiError(503, -1008, 'Server is currently overloaded with other requests.'));
    expect(await gateway.placeOrder(market)).toMatchObject({ ok: false, error: { kind: 'retryable', code: 'BINANCE_-1008' } });
    fapi.on('POST /fapi/v1/order', apiError(408, -1007, 'Timeout waiting for response from backend server.'));
    expect(await gateway.placeOrder(market)).toMatchObject({ ok: false, error: { kind: 'unknown', code: 'BINANCE_-1007' } });
    fapi.on('POST /fapi/v1/order', { status: 503, body: '<html>Service Unavailable</html>' });
    expect(await gateway.placeOrder(market)).toMatchObject({ ok: false, error: { kind: 'unknown', code: 'HTTP_503' } });
    fapi.on('POST /fapi/v1/order', { ...apiError(429, -1003, 'Too many requests.'), headers: { 'retry-after': '7' } });
    expect(await gateway.placeOrder(market)).toMatchObject({
      ok: false,
      error: { kind: 'rate_limited', code: 'BINANCE_-1003', retryAfterMs: 7_000 },
    });
  });

  describe('user data stream', () => {
    let keys: string[];
    beforeEach(() => {
      keys = ['LK1', 'LK2', 'LK3'];
      fapi.on('POST /fapi/v1/listenKey', () => ({ body: `{"listenKey":"${keys.shift()}"}` }));
      fapi.on('PUT /fapi/v1/listenKey', { body: '{}' });
      fapi.on('DELETE /fapi/v1/listenKey', { body: '{}' });
    });

    it("reads Binance's own frames: a fill with realized PnL and commission, bep kept, funding with P empty", async () => {
      const rec = new Recorder();
      gateway.subscribe(rec);
      expect(await gateway.userStreamReady()).toEqual({ ok: true, value: undefined });
      await fapi.socketOn('LK1');
      fapi.send(
        'LK1',
        `{"e":"ORDER_TRADE_UPDATE","E":${T0},"T":${T0},"o":{"s":"BTCUSDT","c":"tg_g1_1_S1","S":"SELL","o":"LIMIT","f":"GTC",` +
          `"q":"0.010","p":"51000","ap":"51000","sp":"0","x":"TRADE","X":"FILLED","i":${BIG_ID},"l":"0.010","z":"0.010",` +
          `"L":"51000","n":"0.10200000","N":"USDT","T":${T0},"t":99,"b":"0","a":"0","m":true,"R":true,"wt":"CONTRACT_PRICE",` +
          `"ot":"LIMIT","ps":"BOTH","cp":false,"rp":"20.00000000","pP":false,"si":0,"ss":0,"V":"NONE","pm":"NONE","gtd":0,"er":"0"}}`,
      );
      fapi.send(
        'LK1',
        `{"e":"ACCOUNT_UPDATE","E":${T0},"T":${T0},"a":{"m":"ORDER","B":[{"a":"USDT","wb":"1019.898","cw":"1019.898","bc":"0"}],` +
          `"P":[{"s":"BTCUSDT","pa":"0.010","ep":"49000","bep":"49024.5","cr":"20","up":"5","mt":"isolated","iw":"49","ps":"BOTH"}]}}`,
      );
      fapi.send(
        'LK1',
        `{"e":"ACCOUNT_UPDATE","E":${T0 + 1},"T":${T0 + 1},"a":{"m":"FUNDING_FEE",` +
          `"B":[{"a":"USDT","wb":"1019.848","cw":"1019.848","bc":"-0.05"}],"P":[]}}`,
      );
      await rec.until(() => rec.updates.length === 2);
      expect(rec.reports).toEqual([
        expect.objectContaining({
          symbol: 'BTCUSDT.P',
          exchangeOrderId: BIG_ID,
          executionType: 'TRADE',
          status: 'FILLED',
          reduceOnly: true,
          expireReason: 0,
          trade: {
            tradeId: 99,
            price: fx('51000'),
            quantity: fx('0.01'),
            commission: fx('0.102'),
            commissionAsset: 'USDT',
            realizedPnl: fx('20'),
            isMaker: true,
          },
        }),
      ]);
      expect(rec.updates[0]?.positions[0]).toMatchObject({
        breakEvenPrice: fx('49024.5'),
        marginType: 'ISOLATED',
        positionAmt: fx('0.01'),
      });
      expect(rec.updates[1]).toEqual({
        reason: 'FUNDING_FEE',
        time: T0 + 1,
        balances: [{ asset: 'USDT', walletBalance: fx('1019.848'), crossWalletBalance: fx('1019.848'), balanceChange: fx('-0.05') }],
        positions: [],
      });
    });

    it('recreates the listenKey and socket on listenKeyExpired, and ignores the old socket after', async () => {
      const rec = new Recorder();
      gateway.subscribe(rec);
      await gateway.userStreamReady();
      await fapi.socketOn('LK1');
      fapi.send('LK1', `{"e":"listenKeyExpired","E":${T0},"listenKey":"LK1"}`);
      await fapi.socketOn('LK2');
      await rec.until(() => rec.states.filter((s) => s.state === 'ready').length === 2);
      expect(rec.states.map((s) => s.state)).toEqual(['ready', 'renewing', 'ready']);
      // The replaced subscription hands its key back.
      await fapi.request((q) => q.method === 'DELETE' && q.query.get('listenKey') === 'LK1');
      const fill = (cid: string) =>
        `{"e":"ORDER_TRADE_UPDATE","E":${T0},"T":${T0},"o":{"s":"BTCUSDT","c":"${cid}","S":"BUY","o":"LIMIT","f":"GTC","q":"1",` +
        `"p":"1","ap":"0","sp":"0","x":"NEW","X":"NEW","i":1,"l":"0","z":"0","L":"0","n":"0","N":"USDT","T":${T0},"t":0,` +
        `"b":"1","a":"0","m":false,"R":false,"ps":"BOTH","rp":"0"}}`;
      fapi.send('LK1', fill('tg_old'));
      fapi.send('LK2', fill('tg_new'));
      await rec.until(() => rec.reports.length === 1);
      expect(rec.reports.map((r) => r.clientOrderId)).toEqual(['tg_new']);
    });

    it('says failed when no key can be had, and a new subscription starts over', async () => {
      fapi.on('POST /fapi/v1/listenKey', apiError(400, -2015, 'Invalid API-key, IP, or permissions for action.'));
      const first = new Recorder();
      gateway.subscribe(first);
      expect(await gateway.userStreamReady()).toMatchObject({ ok: false, error: { kind: 'rejected', code: 'BINANCE_-2015' } });
      expect(first.states.map((s) => s.state)).toEqual(['failed']);
      fapi.on('POST /fapi/v1/listenKey', { body: '{"listenKey":"LK9"}' });
      gateway.subscribe(new Recorder());
      expect(await gateway.userStreamReady()).toEqual({ ok: true, value: undefined });
      await fapi.socketOn('LK9');
      // The listener already there hears the new stream too.
      await first.until(() => first.states.at(-1)?.state === 'ready');
    });

    it('recreates the listenKey when a keepalive is refused with -1125 and the library opens no socket of its own', async () => {
      fapi.on('PUT /fapi/v1/listenKey', (q) =>
        q.query.get('listenKey') === 'LK1' ? apiError(400, -1125, 'This listenKey does not exist.') : { body: '{}' },
      );
      // The first keepalive failed, so the library would wait 30 s: after this short grace the gateway replaces it.
      gateway.close();
      gateway = new BinanceFuturesGateway({ ...ACCOUNT, ...fapi.endpoints, clock, streamRenewGraceMs: 20 });
      const rec = new Recorder();
      gateway.subscribe(rec);
      await fapi.socketOn('LK2');
      await rec.until(() => rec.states.some((s) => s.state === 'renewing'));
      expect(rec.states.find((s) => s.state === 'renewing')?.reason).toContain('-1125');
      await fapi.request((q) => q.method === 'PUT' && q.query.get('listenKey') === 'LK2');
      await rec.until(() => rec.states.at(-1)?.state === 'ready');
      expect(rec.states.filter((s) => s.state === 'renewing')).toHaveLength(1);
    });
  });
});
