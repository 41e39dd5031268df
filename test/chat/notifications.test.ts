import { describe, expect, it } from 'vitest';
import { NOTIFIED_EVENTS, type QuoteAssetOf, followEvents, renderEvent } from '../../src/chat/index.js';
import { type Message, catalogInstrument, fx } from '../../src/domain/index.js';
import { MessageBus } from '../../src/engine/index.js';
import { aFill, aRoundTrip, aTradeTicked, anIntent, anOrderHeader } from '../kit/builders.js';

const base = anOrderHeader();
/** The quote asset as the exchange lists it (the catalog stands in for exchangeInfo here). */
const listed: QuoteAssetOf = (symbol) => catalogInstrument(symbol)?.quoteAsset;
const render = (m: Message): string | undefined => renderEvent(m, listed);
const intent = anIntent({ clientOrderId: 'tg_G1_8_B-2', price: fx('94050'), quantity: fx('0.00026') });

/** 0.00105 at 94 525: quote 99.25125; the fee, 0.00000105 BTC, is 0.09925125 USDT. */
const filled = aFill({ ...base, tradeId: 42, price: fx('94525'), quantity: fx('0.00105'), commission: fx('0.00000105') });

describe('renderEvent', () => {
  it('OrderFilled', () => {
    expect(render(filled)).toBe('✅ Filled BUY 0.00105 BTCUSDT @ 94525.00 (fee 0.00000105 BTC) · grid G1');
    expect(render({ ...filled, quantity: fx('0.0005'), cumQty: fx('0.0005'), complete: false, owner: { kind: 'manual' } })).toBe(
      '✅ Partly filled BUY 0.0005 BTCUSDT @ 94525.00 (0.0005 so far) (fee 0.00000105 BTC) · manual',
    );
  });

  it('OrderDenied', () => {
    const denied: Message = {
      type: 'OrderDenied',
      intent,
      code: 'MAX_OPEN_ORDERS_SYMBOL',
      message: 'BTCUSDT already has 200 open orders (limit 200).',
      numbers: { open: '200', limit: '200' },
    };
    expect(render(denied)).toBe(
      '⛔ Risk denied BUY 0.00026 BTCUSDT @ 94050.00 · grid G1: BTCUSDT already has 200 open orders (limit 200). (MAX_OPEN_ORDERS_SYMBOL)',
    );
    const { price: _, ...market } = intent;
    expect(render({ ...denied, intent: { ...market, type: 'MARKET', owner: { kind: 'manual' } } })).toContain(
      'BUY 0.00026 BTCUSDT at market · manual:',
    );
  });

  it('PositionChanged', () => {
    expect(
      render({
        type: 'PositionChanged',
        symbol: 'BTCUSDT',
        quantity: fx('0.00105'),
        avgCost: fx('94525'),
        realizedPnl: fx('0'),
        unrealizedPnl: fx('-0.1234'),
        fees: fx('0.1'),
        time: 1,
      }),
    ).toBe('📊 BTCUSDT position 0.00105 @ avg 94525.00 · realized 0.00 · unrealized -0.1234 USDT');
  });

  it('GridRoundTrip', () => {
    // Quotes 99.25125 and 99.75; fees and profit as named.
    const trip = aRoundTrip({
      quantity: fx('0.00105'),
      buyPrice: fx('94525'),
      sellPrice: fx('95000'),
      feesQuote: fx('0.07875125'),
      profit: fx('0.42'),
      time: 1,
    });
    expect(render(trip)).toBe('💰 Grid G1 round trip +0.42 USDT (buy 94525 → sell 95000, qty 0.00105, fees 0.07875125)');
    expect(renderEvent({ ...trip, symbol: 'ETHBTC' }, () => 'BTC')).toContain('round trip +0.42 BTC (');
    expect(renderEvent(trip, () => 'FDUSD')).toContain('+0.42 FDUSD');
    // A symbol the exchange does not list has no unit, rather than one guessed from its letters.
    expect(renderEvent({ ...trip, symbol: 'FOOBTC' }, () => undefined)).toContain('round trip +0.42 (');
  });

  it('GridStopped, for every reason', () => {
    const stop = (reason: 'user' | 'stop_loss' | 'take_profit' | 'kill' | 'start_failed', triggerPrice?: bigint) =>
      render({ type: 'GridStopped', gridId: 'G1', symbol: 'BTCUSDT', reason, ...(triggerPrice ? { triggerPrice } : {}) });
    expect(stop('user')).toBe('⏹ Grid G1 on BTCUSDT stopped: by you.');
    expect(stop('stop_loss', fx('89990.5'))).toBe('⏹ Grid G1 on BTCUSDT stopped: stop-loss hit at 89990.50.');
    expect(stop('take_profit', fx('100000'))).toBe('⏹ Grid G1 on BTCUSDT stopped: take-profit hit at 100000.00.');
    expect(stop('kill')).toBe('⏹ Grid G1 on BTCUSDT stopped: by the kill switch.');
    expect(stop('start_failed')).toBe('⏹ Grid G1 on BTCUSDT stopped: it could not start.');
  });

  it('TradingStateChanged', () => {
    const change = (from: 'ACTIVE' | 'REDUCING' | 'HALTED', to: 'ACTIVE' | 'REDUCING' | 'HALTED', reason: string) =>
      render({ type: 'TradingStateChanged', from, to, reason, time: 1 });
    expect(change('ACTIVE', 'HALTED', 'kill switch')).toBe('🛑 Trading HALTED (was ACTIVE): kill switch');
    expect(change('ACTIVE', 'REDUCING', 'daily loss limit')).toBe('⚠️ Trading REDUCING (was ACTIVE): daily loss limit');
    expect(change('HALTED', 'ACTIVE', 'resumed by owner')).toBe('▶️ Trading ACTIVE (was HALTED): resumed by owner');
  });

  it('OrderRejected', () => {
    expect(
      render({ ...base, type: 'OrderRejected', code: '-2010', message: 'Account has insufficient balance for requested action.' }),
    ).toBe('❌ Order rejected: BUY BTCUSDT tg_G1_7_B-1 · grid G1: -2010: Account has insufficient balance for requested action.');
  });

  it('OrderUnknown', () => {
    expect(render({ ...base, type: 'OrderUnknown', code: 'TIMEOUT', message: 'No answer within 10 s' })).toBe(
      '❓ Order outcome unknown: BUY BTCUSDT tg_G1_7_B-1 · grid G1: TIMEOUT: No answer within 10 s. ' +
        'Checking with the exchange; it will not be sent twice.',
    );
  });

  it('everything else is not a notification', () => {
    const quiet: Message[] = [
      { type: 'SubmitOrder', intent },
      { type: 'PlaceOrder', intent },
      { type: 'CancelOrder', clientOrderId: 'x', symbol: 'BTCUSDT', reason: 'user' },
      aTradeTicked({ price: fx('1'), quantity: fx('1'), time: 1 }),
      { type: 'OrderSubmissionFailed', clientOrderId: 'x', outcome: 'rejected', code: 'c', message: 'm' },
      { ...base, type: 'OrderSent', intent },
      { ...base, type: 'OrderAccepted', exchangeOrderId: '1' },
      { ...base, type: 'OrderCanceled', filledQty: fx('0'), reason: 'user' },
      { ...base, type: 'OrderExpired', filledQty: fx('0') },
      { type: 'GridStarted', gridId: 'G1', symbol: 'BTCUSDT', levels: 10, orders: 20, requested: 20 },
      { type: 'BalancesReported', balances: [], time: 1 },
    ];
    for (const m of quiet) expect(render(m), m.type).toBeUndefined();
  });

  it('followEvents hands the notifiable events on a bus, described, to a notifier until stopped', () => {
    const bus = new MessageBus();
    const lines: string[] = [];
    const stop = followEvents(bus, { notify: (note) => lines.push(note.text) }, listed);
    bus.publish(filled);
    bus.publish({ type: 'GridStarted', gridId: 'G1', symbol: 'BTCUSDT', levels: 10, orders: 20, requested: 20 });
    bus.publish({ type: 'GridStarted', gridId: 'G2', symbol: 'BTCUSDT', levels: 5, orders: 0, requested: 0, waitingFor: fx('95000') });
    bus.publish({
      type: 'GridStarted',
      gridId: 'G2',
      symbol: 'BTCUSDT',
      levels: 5,
      orders: 10,
      requested: 10,
      waitingFor: fx('95000'),
      triggeredAt: fx('95000.5'),
    });
    bus.publish({
      type: 'GridTrailed',
      gridId: 'G1',
      symbol: 'BTCUSDT',
      direction: 'up',
      low: -9,
      high: 11,
      lowPrice: fx('90000'),
      highPrice: fx('101000'),
      price: fx('100500'),
      canceled: 'tg_G1_1_B-10',
      placed: [{ clientOrderId: 'tg_G1_30_B11', side: 'BUY', type: 'MARKET', level: 11, quantity: fx('0.00099') }],
      moves: 1,
      time: 0,
    });
    bus.publish({ type: 'GridStopped', gridId: 'G1', symbol: 'BTCUSDT', reason: 'user' });
    stop();
    bus.publish(filled);
    expect(lines).toEqual([
      '✅ Filled BUY 0.00105 BTCUSDT @ 94525.00 (fee 0.00000105 BTC) · grid G1',
      '🎯 Grid G2 on BTCUSDT: the market traded at 95000.50, through its trigger 95000.00; placing its 10 orders now.',
      '↗ Grid G1 on BTCUSDT trailed up (move 1) at 100500.00: cancelled the lowest buy, market buy 0.00099 for the sell at ' +
        '101000.00; it now spans 90000.00–101000.00.',
      '⏹ Grid G1 on BTCUSDT stopped: by you.',
    ]);
    expect(NOTIFIED_EVENTS).toHaveLength(18);
  });
});

describe('market data notices', () => {
  it('says when a stream goes stale and when it is back', () => {
    expect(render({ type: 'MarketDataStale', symbols: ['BTCUSDT'], reason: 'no trade for 10 s on an open stream', time: 0 })).toBe(
      '⚠️ Market data stale on BTCUSDT: no trade for 10 s on an open stream. New orders on it wait until trades flow again.',
    );
    expect(render({ type: 'MarketDataResumed', symbols: ['BTCUSDT'], gapMs: 4_200, time: 0 })).toMatch(
      /^✅ Market data back on BTCUSDT after /,
    );
  });
});
