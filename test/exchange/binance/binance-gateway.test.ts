import { afterEach, describe, expect, it, vi } from 'vitest';
import { SPOT_CATALOG, fx } from '../../../src/domain/index.js';
import { ManualClock } from '../../../src/engine/index.js';
import {
  BINANCE_LIVE,
  BINANCE_TESTNET,
  type BinanceClient,
  BinanceGateway,
  type BinanceGatewayOptions,
} from '../../../src/exchange/binance/index.js';
import type { GatewayFailure, VenueListener } from '../../../src/exchange/index.js';
import { SandboxHub, type SandboxServer, startSandboxServer } from '../../../src/sandbox/index.js';

const ACCOUNT = { apiKey: 'unit-key', apiSecret: 'unit-secret' };
const URLS = { httpBase: 'http://127.0.0.1:1', wsBase: 'ws://127.0.0.1:1/ws', wsApi: 'ws://127.0.0.1:1/ws-api/v3' };

function apiError(code: number, msg: string): Error {
  return Object.assign(new Error(msg), { code });
}

/** A client whose every method is a spy; each test scripts the answers it needs. */
function scriptedClient() {
  let emit: (event: unknown) => void = () => {};
  const client = {
    time: vi.fn(async (): Promise<unknown> => 0),
    exchangeInfo: vi.fn(async (): Promise<unknown> => ({ symbols: [], rateLimits: [] })),
    order: vi.fn(async (): Promise<unknown> => ({})),
    cancelOrder: vi.fn(async (): Promise<unknown> => ({})),
    cancelOpenOrders: vi.fn(async (): Promise<unknown> => []),
    getOrder: vi.fn(async (): Promise<unknown> => ({})),
    openOrders: vi.fn(async (): Promise<unknown> => []),
    accountInfo: vi.fn(async (): Promise<unknown> => ({ balances: [] })),
    candles: vi.fn(async (): Promise<unknown> => []),
    myTrades: vi.fn(async (): Promise<unknown> => []),
    ws: {
      user: vi.fn((cb: (event: unknown) => void): Promise<(options?: object) => void> => {
        emit = cb;
        return Promise.resolve(cleanup);
      }),
    },
  };
  const cleanup = vi.fn();
  return { client, cleanup, emit: (event: unknown) => emit(event) };
}

function gatewayOn(client: BinanceClient, extra: Partial<BinanceGatewayOptions> = {}) {
  const clock = new ManualClock(1_000_000);
  let getTime: () => number = () => NaN;
  const gateway = new BinanceGateway({
    ...ACCOUNT,
    ...URLS,
    clock,
    createClient: (o) => {
      getTime = o.getTime;
      expect(o).toMatchObject({ ...ACCOUNT, ...URLS });
      return client;
    },
    ...extra,
  });
  return { gateway, clock, getTime: () => getTime() };
}

const ORDER = {
  symbol: 'BTCUSDT',
  orderId: 5,
  clientOrderId: 'tg_1',
  transactTime: 7,
  price: '49000.50000000',
  origQty: '0.00100000',
  executedQty: '0.00000000',
  cummulativeQuoteQty: '0.00000000',
  status: 'NEW',
  type: 'LIMIT',
  side: 'BUY',
};

const NEW_REPORT = {
  eventType: 'executionReport',
  eventTime: 9,
  symbol: 'BTCUSDT',
  newClientOrderId: 'tg_1',
  originalClientOrderId: '',
  side: 'BUY',
  orderType: 'LIMIT',
  quantity: '0.00100000',
  price: '49000.50000000',
  executionType: 'NEW',
  orderStatus: 'NEW',
  orderRejectReason: 'NONE',
  orderId: 5,
  orderTime: 8,
  totalTradeQuantity: '0.00000000',
  totalQuoteTradeQuantity: '0.00000000',
};

function recorder() {
  const seen: string[] = [];
  const listener: VenueListener = { onExecution: (r) => seen.push(r.status), onBalances: (b) => seen.push(`balances:${b.length}`) };
  return { seen, listener };
}

describe('BinanceGateway requests', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('publishes Binance documented endpoints for live and testnet', () => {
    expect(BINANCE_LIVE).toEqual({
      httpBase: 'https://api.binance.com',
      wsBase: 'wss://stream.binance.com:9443/ws',
      wsApi: 'wss://ws-api.binance.com:443/ws-api/v3',
    });
    expect(BINANCE_TESTNET).toEqual({
      httpBase: 'https://testnet.binance.vision',
      wsBase: 'wss://stream.testnet.binance.vision/ws',
      wsApi: 'wss://ws-api.testnet.binance.vision/ws-api/v3',
    });
  });

  it('places with our client id, RESULT responses and exact decimal strings; MARKET sends no price or time in force', async () => {
    const { client } = scriptedClient();
    client.order.mockResolvedValueOnce(ORDER).mockResolvedValueOnce({ ...ORDER, type: 'MARKET', price: '0.00000000', status: 'FILLED' });
    const { gateway } = gatewayOn(client);
    const r = await gateway.placeOrder({
      clientOrderId: 'tg_1',
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      price: fx('49000.5'),
      quantity: fx('0.001'),
      timeInForce: 'IOC',
    });
    expect(r).toMatchObject({ ok: true, value: { clientOrderId: 'tg_1', exchangeOrderId: '5', price: fx('49000.5'), status: 'NEW' } });
    await gateway.placeOrder({ clientOrderId: 'tg_2', symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: fx('0.00000001') });
    expect(client.order.mock.calls).toEqual([
      [
        {
          symbol: 'BTCUSDT',
          side: 'BUY',
          type: 'LIMIT',
          quantity: '0.001',
          price: '49000.5',
          timeInForce: 'IOC',
          newClientOrderId: 'tg_1',
          newOrderRespType: 'RESULT',
        },
      ],
      [{ symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: '0.00000001', newClientOrderId: 'tg_2', newOrderRespType: 'RESULT' }],
    ]);
  });

  it('refuses a LIMIT without a price before sending anything', async () => {
    const { client } = scriptedClient();
    const { gateway } = gatewayOn(client);
    expect(
      await gateway.placeOrder({ clientOrderId: 'x', symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: fx('1') }),
    ).toMatchObject({
      ok: false,
      error: { kind: 'rejected', code: 'MISSING_PRICE' },
    });
    expect(client.order).not.toHaveBeenCalled();
  });

  it('names orders by origClientOrderId, answers -2013 with undefined, and sends no symbol key for all open orders', async () => {
    const { client } = scriptedClient();
    client.getOrder.mockRejectedValueOnce(apiError(-2013, 'Order does not exist.'));
    client.cancelOrder.mockRejectedValueOnce(apiError(-2011, 'Unknown order sent.'));
    const { gateway } = gatewayOn(client);
    expect(await gateway.getOrder('BTCUSDT', 'ghost')).toEqual({ ok: true, value: undefined });
    expect(await gateway.cancelOrder('BTCUSDT', 'ghost')).toEqual({
      ok: false,
      error: { kind: 'rejected', code: 'BINANCE_-2011', message: 'Unknown order sent.' },
    });
    await gateway.openOrders();
    await gateway.openOrders('ETHUSDT');
    expect(client.getOrder).toHaveBeenCalledWith({ symbol: 'BTCUSDT', origClientOrderId: 'ghost' });
    expect(client.cancelOrder).toHaveBeenCalledWith({ symbol: 'BTCUSDT', origClientOrderId: 'ghost' });
    expect(client.openOrders.mock.calls).toEqual([[{}], [{ symbol: 'ETHUSDT' }]]);
  });

  it('cancels all of a symbol: one CANCELED report per order, -2011 (nothing open) as none, a lost answer retryable', async () => {
    vi.useFakeTimers();
    const { client } = scriptedClient();
    const canceled = { ...ORDER, origClientOrderId: 'tg_1', clientOrderId: 'cancelReq', status: 'CANCELED' };
    client.cancelOpenOrders
      .mockResolvedValueOnce([canceled, { ...canceled, orderId: 6, origClientOrderId: 'tg_2' }])
      .mockRejectedValueOnce(apiError(-2011, 'Unknown order sent.'))
      .mockReturnValueOnce(new Promise(() => {}));
    const { gateway } = gatewayOn(client, { requestTimeoutMs: 1_000 });
    const r = await gateway.cancelAll('BTCUSDT');
    expect(r.ok && r.value.map((o) => [o.clientOrderId, o.exchangeOrderId, o.status])).toEqual([
      ['tg_1', '5', 'CANCELED'],
      ['tg_2', '6', 'CANCELED'],
    ]);
    expect(await gateway.cancelAll('BTCUSDT')).toEqual({ ok: true, value: [] });
    const lost = gateway.cancelAll('BTCUSDT');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await lost).toMatchObject({ ok: false, error: { kind: 'retryable', code: 'TIMEOUT' } });
    expect(client.cancelOpenOrders.mock.calls).toEqual([[{ symbol: 'BTCUSDT' }], [{ symbol: 'BTCUSDT' }], [{ symbol: 'BTCUSDT' }]]);
  });

  it('gives up on a call after the timeout: unknown for a placement, retryable for a read', async () => {
    vi.useFakeTimers();
    const { client } = scriptedClient();
    client.order.mockReturnValueOnce(new Promise(() => {}));
    client.accountInfo.mockReturnValueOnce(new Promise(() => {}));
    const { gateway } = gatewayOn(client, { requestTimeoutMs: 2_500 });
    const placing = gateway.placeOrder({ clientOrderId: 'slow', symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: fx('1') });
    const reading = gateway.balances();
    await vi.advanceTimersByTimeAsync(2_499);
    await vi.advanceTimersByTimeAsync(1);
    expect(await placing).toEqual({
      ok: false,
      error: { kind: 'unknown', code: 'TIMEOUT', message: 'no answer from Binance within 2500 ms' },
    });
    expect(await reading).toMatchObject({ ok: false, error: { kind: 'retryable', code: 'TIMEOUT' } });
  });

  it('treats an unreadable placement answer as an unknown outcome', async () => {
    const { client } = scriptedClient();
    client.order.mockResolvedValueOnce({ ...ORDER, executedQty: 0.001 });
    const { gateway } = gatewayOn(client);
    expect(
      await gateway.placeOrder({ clientOrderId: 'tg_1', symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: fx('1') }),
    ).toMatchObject({
      ok: false,
      error: { kind: 'unknown', code: 'BAD_RESPONSE' },
    });
  });

  it('signs with server time: syncTime measures the offset, and a -1021 re-syncs once and retries', async () => {
    const { client } = scriptedClient();
    const { gateway, clock, getTime } = gatewayOn(client);
    client.time.mockResolvedValueOnce(1_000_000 + 4_000);
    expect(await gateway.syncTime()).toEqual({ ok: true, value: 4_000 });
    expect(getTime()).toBe(1_004_000);

    clock.advance(10);
    client.time.mockResolvedValueOnce(1_000_010 - 2_000);
    client.accountInfo.mockRejectedValueOnce(apiError(-1021, 'Timestamp for this request is outside of the recvWindow.'));
    client.accountInfo.mockResolvedValueOnce({ balances: [{ asset: 'BTC', free: '1', locked: '0' }] });
    expect(await gateway.balances()).toEqual({ ok: true, value: [{ asset: 'BTC', free: fx('1'), locked: 0n }] });
    expect(getTime()).toBe(1_000_010 - 2_000);

    // A second -1021 right after a fresh sync is not retried again.
    client.accountInfo.mockRejectedValue(apiError(-1021, 'Timestamp for this request is outside of the recvWindow.'));
    expect(await gateway.balances()).toMatchObject({ ok: false, error: { kind: 'rejected', code: 'BINANCE_-1021' } });
    expect(client.accountInfo).toHaveBeenCalledTimes(4);
  });

  it('reports a library parameter check as a client error, since nothing was sent', async () => {
    const { client } = scriptedClient();
    client.order.mockImplementationOnce(() => {
      throw new Error('Method order requires quantity parameter.');
    });
    const { gateway } = gatewayOn(client);
    expect(
      await gateway.placeOrder({ clientOrderId: 'q', symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: fx('1') }),
    ).toMatchObject({
      ok: false,
      error: { kind: 'rejected', code: 'CLIENT_ERROR' },
    });
  });
});

describe('BinanceGateway user data stream', () => {
  it('shares one subscription among listeners and calls the library cleanup when the last one leaves', async () => {
    const { client, cleanup, emit } = scriptedClient();
    const { gateway } = gatewayOn(client);
    const a = recorder();
    const b = recorder();
    const stopA = gateway.subscribe(a.listener);
    const stopB = gateway.subscribe(b.listener);
    expect(await gateway.userStreamReady()).toEqual({ ok: true, value: undefined });
    emit(NEW_REPORT);
    emit({
      eventType: 'outboundAccountPosition',
      eventTime: 9,
      lastAccountUpdate: 9,
      balances: [{ asset: 'USDT', free: '1', locked: '49' }],
    });
    emit({ eventType: 'balanceUpdate', asset: 'USDT', balanceDelta: '5' });
    stopA();
    stopA();
    emit({ ...NEW_REPORT, executionType: 'CANCELED', orderStatus: 'CANCELED' });
    expect(client.ws.user).toHaveBeenCalledTimes(1);
    expect(cleanup).not.toHaveBeenCalled();
    stopB();
    expect(cleanup).toHaveBeenCalledTimes(1);
    emit(NEW_REPORT);
    expect(a.seen).toEqual(['NEW', 'balances:1']);
    expect(b.seen).toEqual(['NEW', 'balances:1', 'CANCELED']);
  });

  it('closes a subscription that confirms only after everyone left, and never delivers its late events', async () => {
    const { client, cleanup } = scriptedClient();
    let confirm: (c: () => void) => void = () => {};
    let emitOld: (e: unknown) => void = () => {};
    client.ws.user.mockImplementationOnce((cb) => {
      emitOld = cb;
      return new Promise((resolve) => {
        confirm = resolve;
      });
    });
    const { gateway } = gatewayOn(client);
    const first = recorder();
    gateway.subscribe(first.listener)();
    const second = recorder();
    gateway.subscribe(second.listener);
    confirm(cleanup);
    // Let the confirmation's promise chain run (no time passes).
    await new Promise((resolve) => setImmediate(resolve));
    expect(cleanup).toHaveBeenCalledTimes(1);
    emitOld(NEW_REPORT);
    expect(second.seen).toEqual([]);
    expect(client.ws.user).toHaveBeenCalledTimes(2);
  });

  it('reports a refused subscription and an unreadable event to onStreamProblem', async () => {
    const { client, emit } = scriptedClient();
    const problems: GatewayFailure[] = [];
    client.ws.user.mockRejectedValueOnce(apiError(-2015, 'Invalid API-key, IP, or permissions for action.'));
    const { gateway } = gatewayOn(client, { onStreamProblem: (f) => problems.push(f) });
    const stop = gateway.subscribe(recorder().listener);
    expect(await gateway.userStreamReady()).toMatchObject({ ok: false, error: { kind: 'rejected', code: 'BINANCE_-2015' } });
    stop();
    const r = recorder();
    gateway.subscribe(r.listener);
    await gateway.userStreamReady();
    emit({ ...NEW_REPORT, price: 0.5 });
    expect(r.seen).toEqual([]);
    expect(problems.map((p) => `${p.kind} ${p.code}`)).toEqual(['rejected BINANCE_-2015', 'unknown BAD_RESPONSE']);
  });

  it('says when nobody is subscribed', async () => {
    const { gateway } = gatewayOn(scriptedClient().client);
    expect(await gateway.userStreamReady()).toMatchObject({ ok: false, error: { code: 'NOT_SUBSCRIBED' } });
  });
});

describe('BinanceGateway on binance-api-node against the sandbox server', () => {
  let server: SandboxServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function sandbox(hubClock: ManualClock, limits?: { weightPerMinute: number }) {
    const hub = new SandboxHub({
      instruments: SPOT_CATALOG.map((e) => e.instrument),
      balances: { USDT: fx('1000') },
      account: ACCOUNT,
      now: () => hubClock.now(),
    });
    server = await startSandboxServer({ hub, port: 0, ...(limits && { limits }) });
    return server;
  }

  it('recovers from a skewed local clock: -1021, one re-sync, then success', async () => {
    const hubClock = new ManualClock(1_760_000_000_000);
    const s = await sandbox(hubClock);
    const local = new ManualClock(1_760_000_000_000 - 600_000);
    const gateway = new BinanceGateway({ ...ACCOUNT, httpBase: s.httpBase, wsBase: s.wsBase, wsApi: s.wsApi, clock: local });
    expect(await gateway.balances()).toMatchObject({ ok: true, value: [{ asset: 'USDT', free: fx('1000'), locked: 0n }] });
    expect(gateway.serverNow()).toBe(hubClock.now());
  });

  it('subscribes the user data stream with a clock skewed since start-up: -1021, one re-sync, then subscribed', async () => {
    const hubClock = new ManualClock(1_760_000_000_000);
    const s = await sandbox(hubClock);
    const local = new ManualClock(1_760_000_000_000 + 5_000);
    const gateway = new BinanceGateway({ ...ACCOUNT, httpBase: s.httpBase, wsBase: s.wsBase, wsApi: s.wsApi, clock: local });
    const stop = gateway.subscribe({ onExecution: () => undefined, onBalances: () => undefined });
    try {
      expect(await gateway.userStreamReady()).toEqual({ ok: true, value: undefined });
      expect(gateway.serverNow()).toBe(hubClock.now());
    } finally {
      stop();
    }
  });

  it('loads rate limits from exchangeInfo and classifies a broken weight limit as rate_limited with the window', async () => {
    const s = await sandbox(new ManualClock(1_760_000_000_000), { weightPerMinute: 30 });
    const gateway = new BinanceGateway({
      ...ACCOUNT,
      httpBase: s.httpBase,
      wsBase: s.wsBase,
      wsApi: s.wsApi,
      clock: new ManualClock(1_760_000_000_000),
    });
    expect(await gateway.instruments()).toMatchObject({ ok: true });
    expect(gateway.rateLimits()).toContainEqual({
      rateLimitType: 'REQUEST_WEIGHT',
      interval: 'MINUTE',
      intervalNum: 1,
      limit: 30,
      windowMs: 60_000,
    });
    expect(
      gateway
        .rateLimits()
        .filter((l) => l.rateLimitType === 'ORDERS')
        .map((l) => l.windowMs),
    ).toEqual([10_000, 86_400_000]);
    // The Retry-After the sandbox sent (to the end of its minute window), read past binance-api-node.
    expect(await gateway.balances()).toMatchObject({
      ok: false,
      error: { kind: 'rate_limited', code: 'BINANCE_-1003', retryAfterMs: 40_000 },
    });
  });

  it('calls a refused connection retryable even for a placement: nothing was sent', async () => {
    const s = await sandbox(new ManualClock(1_760_000_000_000));
    const urls = { httpBase: s.httpBase, wsBase: s.wsBase, wsApi: s.wsApi };
    await s.close();
    server = undefined;
    const gateway = new BinanceGateway({ ...ACCOUNT, ...urls, clock: new ManualClock(1_760_000_000_000) });
    const r = await gateway.placeOrder({ clientOrderId: 'x', symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: fx('0.001') });
    expect(r).toMatchObject({ ok: false, error: { kind: 'retryable', code: 'NETWORK_ECONNREFUSED' } });
  });
});
