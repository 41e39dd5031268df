import { describe, expect, it } from 'vitest';
import { type Balance, type ExecutionReport, SPOT_CATALOG, type TradeTick, fx } from '../../src/domain/index.js';
import { ManualClock } from '../../src/engine/index.js';
import { PaperGateway } from '../../src/exchange/paper/index.js';
import { runGatewayContract } from './gateway-contract.js';

const instruments = SPOT_CATALOG.map((e) => e.instrument);

function tick(price: string, quantity = '1', symbol = 'BTCUSDT', time = 0): TradeTick {
  return { symbol, price: fx(price), quantity: fx(quantity), time, tradeId: 1, isBuyerMaker: false };
}

runGatewayContract('PaperGateway', () => {
  const gateway = new PaperGateway({ instruments, clock: new ManualClock(1_000) });
  return {
    gateway,
    trade: (symbol, price, quantity) => gateway.onTrade({ symbol, price, quantity, time: 1_000, tradeId: 1, isBuyerMaker: false }),
  };
});

describe('PaperGateway', () => {
  function setup() {
    const clock = new ManualClock(5_000);
    const gw = new PaperGateway({ instruments, clock, startingBalances: { USDT: fx('1000'), BTC: fx('0.1') } });
    const seen: Array<ExecutionReport | { balances: readonly Balance[]; time: number }> = [];
    gw.subscribe({ onExecution: (r) => seen.push(r), onBalances: (balances, time) => seen.push({ balances, time }) });
    return { clock, gw, seen };
  }

  it('delivers the reports a placement causes before its promise resolves, and the balance snapshot after them', async () => {
    const { gw, seen } = setup();
    gw.onTrade(tick('50000'));
    const pending = gw.placeOrder({ clientOrderId: 'm', symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: fx('0.001') });
    expect(seen.map((x) => ('status' in x ? x.status : 'balances'))).toEqual(['NEW', 'FILLED']);
    await Promise.resolve(); // a network venue's snapshot lands once the execution reports have been handled
    expect(seen.map((x) => ('status' in x ? x.status : 'balances'))).toEqual(['NEW', 'FILLED', 'balances']);
    expect(await pending).toMatchObject({ ok: true, value: { status: 'FILLED', time: 5_000 } });
  });

  it('answers orderTrades for the order a client id names now: a reused id starts afresh, another symbol`s id has none', async () => {
    const { gw } = setup();
    gw.onTrade(tick('50000'));
    const buy = { clientOrderId: 'r', symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: fx('0.001') } as const;
    await gw.placeOrder(buy);
    expect(await gw.orderTrades('BTCUSDT', 'r')).toMatchObject({ ok: true, value: [{ status: 'FILLED' }] });
    // The id again, resting this time: no trades yet, the first order's are gone.
    await gw.placeOrder({ ...buy, type: 'LIMIT', price: fx('40000') });
    expect(await gw.orderTrades('BTCUSDT', 'r')).toEqual({ ok: true, value: [] });
    expect(await gw.orderTrades('ETHUSDT', 'r')).toEqual({ ok: true, value: [] });
  });

  it('stamps reports with its clock and balance snapshots with the same time', async () => {
    const { clock, gw, seen } = setup();
    clock.set(7_000);
    await gw.placeOrder({ clientOrderId: 'a', symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', price: fx('40000'), quantity: fx('0.001') });
    expect(seen).toEqual([
      expect.objectContaining({ status: 'NEW', time: 7_000 }),
      { balances: [{ asset: 'USDT', free: fx('960'), locked: fx('40') }], time: 7_000 },
    ]);
  });

  it('reports fills from the tape synchronously, at the trade time, and nothing for a tick that crosses nothing', async () => {
    const { gw, seen } = setup();
    await gw.placeOrder({ clientOrderId: 's', symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', price: fx('60000'), quantity: fx('0.01') });
    seen.length = 0;
    gw.onTrade(tick('60000'));
    gw.onTrade(tick('59000'));
    expect(seen).toEqual([]);
    gw.onTrade(tick('60000.01', '0.004', 'BTCUSDT', 9_000));
    expect(seen).toHaveLength(1);
    await Promise.resolve();
    expect(seen[0]).toMatchObject({
      status: 'PARTIALLY_FILLED',
      time: 9_000,
      trade: { quantity: fx('0.004'), commission: fx('0.24'), commissionAsset: 'USDT' },
    });
    expect(seen[1]).toEqual({
      balances: [
        { asset: 'BTC', free: fx('0.09'), locked: fx('0.006') },
        { asset: 'USDT', free: fx('1239.76'), locked: fx('0') },
      ],
      time: 9_000,
    });
    expect(gw.lastPrice('BTCUSDT')).toBe(fx('60000.01'));
  });

  it('maps venue refusals to rejected failures with the Binance code', async () => {
    const { gw } = setup();
    expect(await gw.openOrders('NOPE')).toEqual({
      ok: false,
      error: { kind: 'rejected', code: 'BINANCE_-1121', message: 'Invalid symbol.' },
    });
    expect(await gw.getOrder('NOPE', 'x')).toMatchObject({ ok: false, error: { code: 'BINANCE_-1121' } });
    expect(await gw.placeOrder({ clientOrderId: 'x', symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: fx('0.001') })).toEqual({
      ok: false,
      error: { kind: 'rejected', code: 'BINANCE_-2010', message: 'Market is closed.' },
    });
  });

  it('resumes a persisted account from its snapshot', async () => {
    const { gw } = setup();
    gw.onTrade(tick('50000'));
    await gw.placeOrder({
      clientOrderId: 'keep',
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      price: fx('45000'),
      quantity: fx('0.002'),
    });
    const snapshot = JSON.parse(JSON.stringify(gw.snapshot()));
    const resumed = new PaperGateway({ instruments, clock: new ManualClock(0), snapshot });
    expect(await resumed.balances()).toEqual(await gw.balances());
    expect(await resumed.openOrders()).toEqual(await gw.openOrders());
    resumed.onTrade(tick('44999'));
    expect(await resumed.getOrder('BTCUSDT', 'keep')).toMatchObject({ ok: true, value: { status: 'FILLED' } });
    expect(() => new PaperGateway({ instruments: [], clock: new ManualClock(0), snapshot })).toThrow(/snapshot unusable/);
  });

  it('lets a listener unsubscribe during delivery without losing the current event for others', async () => {
    const { gw } = setup();
    const a: string[] = [];
    const b: string[] = [];
    const stopA = gw.subscribe({
      onExecution: (r) => {
        a.push(r.status);
        stopA();
      },
      onBalances: () => {},
    });
    gw.subscribe({ onExecution: (r) => b.push(r.status), onBalances: () => {} });
    await gw.placeOrder({ clientOrderId: 'z', symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', price: fx('40000'), quantity: fx('0.001') });
    await gw.cancelOrder('BTCUSDT', 'z');
    expect(a).toEqual(['NEW']);
    expect(b).toEqual(['NEW', 'CANCELED']);
  });
});
