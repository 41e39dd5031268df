import { describe, expect, it } from 'vitest';
import { type EngineEvent, ZERO, fx } from '../../src/domain/index.js';
import type { RiskLimits } from '../../src/risk/index.js';
import { aFillOf, anIntent, anOrderSent } from '../kit/builders.js';
import { riskGateRig } from '../kit/risk-rig.js';

function setup(limits: RiskLimits = {}) {
  const rig = riskGateRig(limits);
  const event = (m: EngineEvent) => rig.kernel.bus.publish(m);
  const base = { symbol: 'BTCUSDT', side: 'BUY' as const, owner: { kind: 'grid' as const, gridId: 'G1' }, time: 0 };
  return { ...rig, event, base };
}

describe('RiskGate', () => {
  it('refuses a client order id it already approved, or that the bot already sent', () => {
    const { submit, view } = setup();
    const i = anIntent();
    expect(submit(i)[0]?.type).toBe('PlaceOrder');
    const again = submit(i);
    expect(again[0]?.type === 'OrderDenied' && again[0].code).toBe('DUPLICATE_ORDER');
    const sent = anIntent();
    view.knowsOrder = (id) => id === sent.clientOrderId;
    const known = submit(sent);
    expect(known[0]?.type === 'OrderDenied' && known[0].code).toBe('DUPLICATE_ORDER');
    expect(submit(anIntent())[0]?.type).toBe('PlaceOrder');
  });

  it('denies new orders on a symbol whose feed reported an outage, until it reports the symbol back', () => {
    const { submit, event } = setup();
    event({ type: 'MarketDataStale', symbols: ['BTCUSDT'], reason: 'stream dropped', time: 0 });
    const denied = submit(anIntent());
    expect(denied[0]?.type === 'OrderDenied' && denied[0].code).toBe('STALE_MARKET_DATA');
    expect(denied[0]?.type === 'OrderDenied' && denied[0].message).toContain('stream dropped');
    event({ type: 'MarketDataResumed', symbols: ['BTCUSDT'], gapMs: 1_500, time: 1 });
    expect(submit(anIntent())[0]?.type).toBe('PlaceOrder');
  });

  it('approves a good order with PlaceOrder carrying the same intent', () => {
    const { submit } = setup();
    const i = anIntent();
    expect(submit(i)).toEqual([{ type: 'PlaceOrder', intent: i }]);
  });

  it('denies with an OrderDenied event carrying code, sentence and numbers, never throwing', () => {
    const { submit } = setup({ maxOrderNotional: fx('50') });
    const i = anIntent();
    expect(submit(i)).toEqual([
      {
        type: 'OrderDenied',
        intent: i,
        code: 'MAX_ORDER_NOTIONAL',
        message: 'order notional 95 USDT exceeds the 50 USDT limit per order',
        numbers: { notional: '95', limit: '50' },
      },
    ]);
  });

  it('HALTED denies every new order, reducing ones included', () => {
    const { submit, state } = setup();
    state.set('HALTED', 'kill');
    expect(submit(anIntent())[0]).toMatchObject({ type: 'OrderDenied', code: 'TRADING_HALTED' });
    expect(submit(anIntent({ reducesPosition: true, side: 'SELL' }))[0]).toMatchObject({ code: 'TRADING_HALTED' });
  });

  it('REDUCING lets reducing orders through and denies the rest', () => {
    const { submit, state } = setup();
    state.set('REDUCING', 'owner');
    expect(submit(anIntent({ side: 'SELL', reducesPosition: true }))[0]).toMatchObject({ type: 'PlaceOrder' });
    expect(submit(anIntent())[0]).toMatchObject({ type: 'OrderDenied', code: 'TRADING_REDUCING' });
  });

  it('never sees cancels: a CancelOrder while HALTED is not denied', () => {
    const { kernel, state, out } = setup();
    state.set('HALTED', 'kill');
    out.length = 0;
    kernel.bus.send({ type: 'CancelOrder', clientOrderId: 'tg_G1_1_B-1', symbol: 'BTCUSDT', reason: 'kill' });
    expect(out).toEqual([]);
  });

  it('denies an unknown symbol', () => {
    const { submit } = setup();
    expect(submit(anIntent({ symbol: 'FOOUSDT' }))[0]).toMatchObject({ code: 'UNKNOWN_SYMBOL' });
  });

  it('denies on symbol filters, naming the filter', () => {
    const { submit } = setup();
    expect(submit(anIntent({ quantity: fx('0.000015') }))[0]).toMatchObject({
      code: 'FILTER_FAILURE',
      numbers: { filter: 'LOT_SIZE' },
    });
  });

  it('judges market data: none, stale, fresh', () => {
    const { submit, view, clock } = setup({ staleAfterMs: 5_000 });
    view.trades.delete('BTCUSDT');
    expect(submit(anIntent())[0]).toMatchObject({ code: 'NO_MARKET_DATA' });
    view.trades.set('BTCUSDT', { price: fx('95000'), time: 1_000, receivedAt: 1_000 });
    clock.set(6_000);
    expect(submit(anIntent())[0]).toMatchObject({ type: 'PlaceOrder' });
    clock.set(6_001);
    expect(submit(anIntent())[0]).toMatchObject({ code: 'STALE_MARKET_DATA', numbers: { ageMs: '5001', staleAfterMs: '5000' } });
  });

  it("measures staleness from when the trade was received, never from the exchange's trade time (issue 9)", () => {
    const { submit, view, clock } = setup({ staleAfterMs: 30_000 });
    const now = Date.UTC(2026, 5, 1);
    clock.set(now);
    // A replayed 2020 trade that arrived a second ago is fresh.
    view.trades.set('BTCUSDT', { price: fx('95000'), time: Date.UTC(2020, 0, 1), receivedAt: now - 1_000 });
    expect(submit(anIntent())[0]).toMatchObject({ type: 'PlaceOrder' });
    // A trade stamped "now" by the exchange's clock that reached the bot 31 s ago is not.
    view.trades.set('BTCUSDT', { price: fx('95000'), time: now, receivedAt: now - 31_000 });
    expect(submit(anIntent())[0]).toMatchObject({ code: 'STALE_MARKET_DATA', numbers: { ageMs: '31000' } });
  });

  it('leaves a quiet stream to its own staleness setting, so 0 lets orders through; an outage denies whatever the setting', () => {
    for (const staleAfterMs of [0, 60_000]) {
      const { submit, event } = setup({ staleAfterMs });
      event({ type: 'MarketDataStale', symbols: ['BTCUSDT'], reason: 'no trade for 10000 ms', cause: 'quiet', time: 0 });
      expect(submit(anIntent())[0]?.type).toBe('PlaceOrder');
      event({ type: 'MarketDataStale', symbols: ['BTCUSDT'], reason: 'no frame for 60000 ms', cause: 'outage', time: 0 });
      expect(submit(anIntent())[0]).toMatchObject({ code: 'STALE_MARKET_DATA' });
      event({ type: 'MarketDataResumed', symbols: ['BTCUSDT'], gapMs: 70_000, time: 70_000 });
      expect(submit(anIntent())[0]?.type).toBe('PlaceOrder');
    }
  });

  it('a MARKET order always needs a last trade, and is valued at it', () => {
    const { submit, view } = setup({ maxOrderNotional: fx('100') });
    const market = { type: 'MARKET' as const, price: undefined };
    expect(submit(anIntent(market))[0]).toMatchObject({ type: 'PlaceOrder' });
    view.trades.set('BTCUSDT', { price: fx('200000'), time: 0, receivedAt: 0 });
    expect(submit(anIntent(market))[0]).toMatchObject({ code: 'MAX_ORDER_NOTIONAL', numbers: { notional: '200' } });
    view.trades.delete('BTCUSDT');
    expect(submit(anIntent(market))[0]).toMatchObject({ code: 'NO_MARKET_DATA' });
  });

  it('denies past max position notional and lets reducing orders through', () => {
    const { submit, view } = setup({ maxPositionNotional: fx('1000') });
    view.positions.set('BTCUSDT', fx('0.0095'));
    expect(submit(anIntent())[0]).toMatchObject({ type: 'PlaceOrder' });
    expect(submit(anIntent({ quantity: fx('0.0011') }))[0]).toMatchObject({
      code: 'MAX_POSITION_NOTIONAL',
      numbers: { position: '0.0095', positionAfter: '0.0106', notional: '1007', limit: '1000' },
    });
    view.positions.set('BTCUSDT', fx('0.5'));
    expect(submit(anIntent({ side: 'SELL' }))[0]).toMatchObject({ type: 'PlaceOrder' });
  });

  it('denies outside the price band around the last trade', () => {
    const { submit } = setup({ priceBandPct: fx('1') });
    expect(submit(anIntent({ price: fx('95950') }))[0]).toMatchObject({ type: 'PlaceOrder' });
    expect(submit(anIntent({ price: fx('95950.01') }))[0]).toMatchObject({ code: 'PRICE_BAND', numbers: { bandPct: '1' } });
    expect(submit(anIntent({ price: fx('94050') }))[0]).toMatchObject({ type: 'PlaceOrder' });
  });

  it('denies a buy without enough quote and a sell without enough base', () => {
    const { submit, view } = setup();
    view.free.set('USDT', fx('94.99'));
    expect(submit(anIntent())[0]).toMatchObject({
      code: 'INSUFFICIENT_BALANCE',
      numbers: { required: '95', available: '94.99' },
    });
    view.free.set('BTC', fx('0.0009'));
    expect(submit(anIntent({ side: 'SELL', price: fx('96000') }))[0]).toMatchObject({
      code: 'INSUFFICIENT_BALANCE',
      numbers: { required: '0.001', free: '0.0009' },
    });
    view.free.set('BTC', fx('0.001'));
    expect(submit(anIntent({ side: 'SELL', price: fx('96000') }))[0]).toMatchObject({ type: 'PlaceOrder' });
  });

  it('denies while today is at the daily loss limit', () => {
    const { submit, view } = setup({ maxDailyLoss: fx('100') });
    view.pnl = fx('-99.99');
    expect(submit(anIntent())[0]).toMatchObject({ type: 'PlaceOrder' });
    view.pnl = fx('-100');
    expect(submit(anIntent())[0]).toMatchObject({ code: 'MAX_DAILY_LOSS', numbers: { pnl: '-100', limit: '100' } });
  });
});

describe('RiskGate approval ledger', () => {
  it('counts a burst of intents inside one bus dispatch', () => {
    const { kernel, out, gate } = setup({ maxOpenOrdersPerSymbol: 3, maxOpenOrdersTotal: 10 });
    // A strategy that places its whole ladder while handling one message.
    kernel.bus.on('GridStarted', () => {
      for (let k = 0; k < 5; k++) kernel.bus.send({ type: 'SubmitOrder', intent: anIntent() });
    });
    kernel.bus.publish({ type: 'GridStarted', gridId: 'G1', symbol: 'BTCUSDT', levels: 5, orders: 5, requested: 5 });
    expect(out.map((m) => (m.type === 'OrderDenied' ? m.code : m.type))).toEqual([
      'PlaceOrder',
      'PlaceOrder',
      'PlaceOrder',
      'MAX_OPEN_ORDERS_SYMBOL',
      'MAX_OPEN_ORDERS_SYMBOL',
    ]);
    expect(gate.openOrders('BTCUSDT')).toBe(3);
    expect(gate.reserved('USDT')).toBe(fx('285'));
  });

  it('reserves approved funds within a burst so the balance is not spent twice', () => {
    const { kernel, out, view } = setup();
    view.free.set('USDT', fx('200'));
    kernel.bus.on('GridStarted', () => {
      for (let k = 0; k < 3; k++) kernel.bus.send({ type: 'SubmitOrder', intent: anIntent() });
    });
    kernel.bus.publish({ type: 'GridStarted', gridId: 'G1', symbol: 'BTCUSDT', levels: 3, orders: 3, requested: 3 });
    expect(out.map((m) => (m.type === 'OrderDenied' ? m.code : m.type))).toEqual(['PlaceOrder', 'PlaceOrder', 'INSUFFICIENT_BALANCE']);
    const denied = out[2];
    expect(denied).toMatchObject({ numbers: { free: '200', reserved: '190', available: '10', required: '95' } });
  });

  it('releases the reservation on acceptance and the count when the order is done', () => {
    const { submit, event, gate, base } = setup({ maxOpenOrdersTotal: 2 });
    const a = anIntent();
    const b = anIntent();
    submit(a);
    submit(b);
    expect(gate.openOrders()).toBe(2);
    expect(gate.reserved('USDT')).toBe(fx('190'));
    expect(submit(anIntent())[0]).toMatchObject({ code: 'MAX_OPEN_ORDERS_TOTAL' });

    event({ type: 'OrderAccepted', ...base, clientOrderId: a.clientOrderId, exchangeOrderId: '1' });
    expect(gate.reserved('USDT')).toBe(fx('95'));
    expect(gate.openOrders()).toBe(2);

    const fill = aFillOf(a, { quantity: fx('0.0005') });
    event(fill);
    expect(gate.openOrders()).toBe(2);
    event({ ...fill, tradeId: 2, cumQty: fx('0.001'), complete: true });
    expect(gate.openOrders()).toBe(1);
    // A repeated terminal event for a closed order changes nothing.
    event({ type: 'OrderCanceled', ...base, clientOrderId: a.clientOrderId, filledQty: fx('0.001'), reason: 'late' });
    expect(gate.openOrders()).toBe(1);

    event({ type: 'OrderCanceled', ...base, clientOrderId: b.clientOrderId, filledQty: ZERO, reason: 'user' });
    expect(gate.openOrders()).toBe(0);
    expect(gate.reserved('USDT')).toBe(ZERO);
  });

  it('closes on rejected, expired, a rejected submission and any fill of a MARKET order; keeps unknown outcomes', () => {
    const { submit, event, gate, base } = setup();
    const ids = [anIntent(), anIntent(), anIntent(), anIntent({ type: 'MARKET', price: undefined }), anIntent()];
    for (const i of ids) submit(i);
    expect(gate.openOrders('BTCUSDT')).toBe(5);
    event({ type: 'OrderRejected', ...base, clientOrderId: ids[0]!.clientOrderId, code: '-2010', message: 'no' });
    event({ type: 'OrderExpired', ...base, clientOrderId: ids[1]!.clientOrderId, filledQty: ZERO });
    event({ type: 'OrderSubmissionFailed', clientOrderId: ids[2]!.clientOrderId, outcome: 'rejected', code: 'X', message: 'x' });
    event(aFillOf(ids[3]!, { tradeId: 7, price: fx('95000'), quantity: fx('0.0005') }));
    event({ type: 'OrderSubmissionFailed', clientOrderId: ids[4]!.clientOrderId, outcome: 'unknown', code: 'T', message: 't' });
    expect(gate.openOrders('BTCUSDT')).toBe(1);
    expect(gate.reserved('USDT')).toBe(fx('95'));
  });

  it('counts an order adopted at start-up (tracked without its approval) against the limits', () => {
    const { submit, kernel } = setup({ maxOpenOrdersPerSymbol: 1 });
    kernel.bus.publish(anOrderSent({ clientOrderId: 'tg_G9_1_B-1', owner: { kind: 'manual' } }));
    expect(submit(anIntent())[0]).toMatchObject({ code: 'MAX_OPEN_ORDERS_SYMBOL', numbers: { open: '1', limit: '1' } });
  });

  it('denials leave the ledger untouched', () => {
    const { submit, gate } = setup({ maxOrderNotional: fx('1') });
    submit(anIntent());
    expect(gate.openOrders()).toBe(0);
    expect(gate.reserved('USDT')).toBe(ZERO);
  });
});
