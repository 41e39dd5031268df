import { describe, expect, it } from 'vitest';
import { fx } from '../../../src/domain/index.js';
import type { FuturesNewOrder } from '../../../src/sandbox/futures/index.js';
import { limit, market, rig } from './fixtures.js';

const NOT_RECORDED = 'The order will not be recorded in the order history';

/** The rejection's Binance {code, msg}, or 'ok'. */
function refusal(r: { ok: true } | { ok: false; error: { binanceCode: number; message: string } }): [number, string] | 'ok' {
  return r.ok ? 'ok' : [r.error.binanceCode, r.error.message];
}

describe('FuturesEngine refuses with Binance USD-M codes and messages, recording nothing', () => {
  const traded = () => {
    const r = rig();
    r.trade('60000');
    return r;
  };
  const place = (o: FuturesNewOrder) => {
    const r = traded();
    return refusal(r.engine.placeOrder(o, r.clock.t));
  };

  it('symbol, position side and missing price', () => {
    expect(place({ ...limit('BUY', '59000', '0.01', 'a'), symbol: 'NOPEUSDT' })).toEqual([-1121, 'Invalid symbol.']);
    expect(place(limit('BUY', '59000', '0.01', 'a', { positionSide: 'LONG' }))).toEqual([
      -4061,
      "Order's position side does not match user's setting.",
    ]);
    expect(place(limit('BUY', '59000', '0.01', 'a', { positionSide: 'BOTH' }))).toBe('ok');
    const noPrice: FuturesNewOrder = { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: fx('0.01'), clientOrderId: 'a' };
    expect(place(noPrice)).toEqual([-1102, "Mandatory parameter 'price' was not sent, was empty/null, or malformed."]);
  });

  it('PRICE_FILTER: -4013 below min, -4002 above max, -4014 off the tick', () => {
    expect(place(limit('BUY', '0.001', '1', 'a'))).toEqual([-4013, 'Price less than min price.']);
    expect(place(limit('SELL', '2000000', '0.01', 'a'))).toEqual([-4002, 'Price greater than max price.']);
    expect(place(limit('BUY', '59000.005', '0.01', 'a'))).toEqual([-4014, 'Price not increased by tick size.']);
  });

  it('LOT_SIZE and MARKET_LOT_SIZE: -4003, -4004, -4005, -4023', () => {
    expect(place(limit('BUY', '59000', '0', 'a'))).toEqual([-4003, 'Quantity less than or equal to zero.']);
    expect(place(limit('BUY', '59000', '0.000001', 'a'))).toEqual([-4004, 'Quantity less than min quantity.']);
    expect(place(limit('BUY', '59000', '9001', 'a'))).toEqual([-4005, 'Quantity greater than max quantity.']);
    expect(place(market('BUY', '101', 'a'))).toEqual([-4005, 'Quantity greater than max quantity.']);
    expect(place(limit('BUY', '59000', '0.000015', 'a'))).toEqual([-4023, 'Quantity not increased by step size.']);
  });

  it('PERCENT_PRICE against the mark: -4016 above mark·1.05, -4024 below mark·0.95', () => {
    expect(place(limit('BUY', '63000', '0.01', 'a'))).toBe('ok');
    expect(place(limit('BUY', '63000.01', '0.01', 'a'))).toEqual([-4016, "Limit price can't be higher than 63000."]);
    expect(place(limit('SELL', '57000', '0.01', 'a'))).toBe('ok');
    expect(place(limit('SELL', '56999.99', '0.01', 'a'))).toEqual([-4024, "Limit price can't be lower than 57000."]);
  });

  it('MIN_NOTIONAL: -4164 with the value, at the price for LIMIT and the mark for MARKET; reduce-only is exempt', () => {
    const msg = "Order's notional must be no smaller than 50 (unless you choose reduce only).";
    expect(place(limit('BUY', '59000', '0.0008', 'a'))).toEqual([-4164, msg]); // 47.2
    expect(place(limit('BUY', '59000', '0.00085', 'a'))).toBe('ok'); // 50.15
    expect(place(market('BUY', '0.0008', 'a'))).toEqual([-4164, msg]); // 48 at mark
    const r = traded();
    r.place(market('BUY', '0.01', 'open'));
    expect(refusal(r.engine.placeOrder(market('SELL', '0.0008', 'ro', { reduceOnly: true }), r.clock.t))).toBe('ok');
  });

  it('MAX_NUM_ORDERS: the 201st open order is -2025', () => {
    const r = traded();
    for (let i = 0; i < 200; i++) r.place(limit('BUY', '59000', '0.001', `o${i}`));
    expect(refusal(r.engine.placeOrder(limit('BUY', '59000', '0.001', 'x'), r.clock.t))).toEqual([-2025, 'Reach max open order limit.']);
  });

  it('a client id still open is -4116; once the order is done it may be used again', () => {
    const r = traded();
    r.place(limit('BUY', '59000', '0.001', 'dup'));
    expect(refusal(r.engine.placeOrder(limit('BUY', '58000', '0.001', 'dup'), r.clock.t))).toEqual([-4116, 'ClientOrderId is duplicated.']);
    expect(r.engine.cancelOrder('BTCUSDT', { clientOrderId: 'dup' }, r.clock.t).ok).toBe(true);
    expect(refusal(r.engine.placeOrder(limit('BUY', '58000', '0.001', 'dup'), r.clock.t))).toBe('ok');
  });

  it('GTX that would take is -5022 and FOK that cannot fill is -5021, neither recorded', () => {
    const r = traded();
    expect(refusal(r.engine.placeOrder(limit('BUY', '60000', '0.01', 'gtx', { timeInForce: 'GTX' }), r.clock.t))).toEqual([
      -5022,
      `Due to the order could not be executed as maker, the Post Only order will be rejected. ${NOT_RECORDED}`,
    ]);
    expect(refusal(r.engine.placeOrder(limit('BUY', '59999.99', '0.01', 'fok', { timeInForce: 'FOK' }), r.clock.t))).toEqual([
      -5021,
      `Due to the order could not be filled immediately, the FOK order has been rejected. ${NOT_RECORDED}`,
    ]);
    expect(r.engine.allOrders('BTCUSDT')).toEqual({ ok: true, value: [] });
    // The same orders on the other side of the market are accepted.
    expect(refusal(r.engine.placeOrder(limit('BUY', '59999.99', '0.01', 'gtx', { timeInForce: 'GTX' }), r.clock.t))).toBe('ok');
    expect(r.place(limit('BUY', '60000', '0.01', 'fok', { timeInForce: 'FOK' })).order.status).toBe('FILLED');
  });

  it('reduce-only with no position, or on the position side, is -2022', () => {
    const r = traded();
    const ro = (side: 'BUY' | 'SELL', id: string) =>
      refusal(r.engine.placeOrder(market(side, '0.01', id, { reduceOnly: true }), r.clock.t));
    expect(ro('SELL', 'a')).toEqual([-2022, 'ReduceOnly Order is rejected.']);
    r.place(market('BUY', '0.01', 'long'));
    expect(ro('BUY', 'b')).toEqual([-2022, 'ReduceOnly Order is rejected.']);
    expect(ro('SELL', 'c')).toBe('ok');
  });

  it('a MARKET order before the symbol has traded is -4131 (no price to fill at)', () => {
    const r = rig();
    expect(refusal(r.engine.placeOrder(market('BUY', '0.01', 'a'), r.clock.t))).toEqual([
      -4131,
      "The counterparty's best price does not meet the PERCENT_PRICE filter limit.",
    ]);
  });

  it('unknown orders: cancel -2011, query -2013', () => {
    const r = traded();
    expect(refusal(r.engine.cancelOrder('BTCUSDT', { orderId: '99' }, r.clock.t))).toEqual([-2011, 'Unknown order sent.']);
    expect(refusal(r.engine.getOrder('BTCUSDT', { clientOrderId: 'nope' }))).toEqual([-2013, 'Order does not exist.']);
    const placed = r.place(limit('BUY', '59000', '0.001', 'eth-later'));
    // Another symbol's order is not this symbol's.
    expect(refusal(r.engine.getOrder('ETHUSDT', { orderId: String(placed.order.orderId) }))).toEqual([-2013, 'Order does not exist.']);
    expect(refusal(r.engine.cancelOrder('ETHUSDT', { orderId: String(placed.order.orderId) }, r.clock.t))).toEqual([
      -2011,
      'Unknown order sent.',
    ]);
  });

  it('leverage: 1..bracket 1 initialLeverage, else -4028; maxNotionalValue is the highest bracket allowing it', () => {
    const r = traded();
    expect(r.engine.symbolConfig('SOLUSDT').ok && r.engine.symbolConfig('SOLUSDT')).toMatchObject({ value: [{ leverage: 20 }] });
    const lev = (symbol: string, n: number) => {
      const res = r.engine.setLeverage(symbol, n, r.clock.t);
      return res.ok ? [res.value.leverage, res.value.maxNotionalValue] : [res.error.binanceCode, res.error.message];
    };
    expect(lev('BTCUSDT', 0)).toEqual([-4028, 'Leverage 0 is not valid']);
    expect(lev('BTCUSDT', 126)).toEqual([-4028, 'Leverage 126 is not valid']);
    expect(lev('BTCUSDT', 125)).toEqual([125, fx('50000')]);
    expect(lev('BTCUSDT', 21)).toEqual([21, fx('70000000')]);
    expect(lev('BTCUSDT', 20)).toEqual([20, fx('100000000')]);
    expect(lev('BTCUSDT', 1)).toEqual([1, fx('1800000000')]);
    // SOLUSDT has the documented default tiers: 50x at most.
    expect(lev('SOLUSDT', 51)).toEqual([-4028, 'Leverage 51 is not valid']);
    expect(lev('SOLUSDT', 50)).toEqual([50, fx('5000')]);
    expect(r.engine.symbolConfig('BTCUSDT')).toEqual({
      ok: true,
      value: [{ symbol: 'BTCUSDT', marginType: 'CROSSED', isAutoAddMargin: false, leverage: 1, maxNotionalValue: fx('1800000000') }],
    });
  });

  it('leverage with a position: -2027 past the cap of the new leverage, -4161 lowering an isolated one', () => {
    const r = traded();
    r.place(market('BUY', '1', 'big')); // notional 60000 > 50000, bracket 1's cap (125x)
    const lev = (n: number) => {
      const res = r.engine.setLeverage('BTCUSDT', n, r.clock.t);
      return res.ok ? 'ok' : [res.error.binanceCode, res.error.message];
    };
    expect(lev(125)).toEqual([-2027, 'Exceeded the maximum allowable position at current leverage.']);
    expect(lev(100)).toBe('ok');
    const iso = traded();
    iso.engine.setMarginType('BTCUSDT', 'ISOLATED', iso.clock.t);
    iso.place(market('BUY', '0.01', 'small'));
    expect(iso.engine.setLeverage('BTCUSDT', 10, iso.clock.t)).toMatchObject({
      ok: false,
      error: { binanceCode: -4161, message: 'Leverage reduction is not supported in Isolated Margin Mode with open positions.' },
    });
    expect(iso.engine.setLeverage('BTCUSDT', 25, iso.clock.t).ok).toBe(true);
  });

  it('leverage brackets come from the hub options where given (leverageBracket JSON)', () => {
    const r = rig({
      engine: {
        leverageBrackets: {
          symbol: 'BTCUSDT',
          brackets: [{ bracket: 1, initialLeverage: 10, notionalCap: 1000000, notionalFloor: 0, maintMarginRatio: 0.01, cum: 0 }],
        },
      },
    });
    expect(r.engine.setLeverage('BTCUSDT', 11, r.clock.t)).toMatchObject({ ok: false, error: { binanceCode: -4028 } });
    expect(r.engine.symbolConfig('BTCUSDT')).toMatchObject({ ok: true, value: [{ leverage: 10, maxNotionalValue: fx('1000000') }] });
    expect(r.engine.brackets().get('ETHUSDT')?.brackets[0]?.initialLeverage).toBe(125);
  });

  it('margin type: -4046 unchanged, -4047 with open orders, -4048 with a position', () => {
    const r = traded();
    const mt = (t: 'CROSSED' | 'ISOLATED') => refusal(r.engine.setMarginType('BTCUSDT', t, r.clock.t));
    expect(mt('CROSSED')).toEqual([-4046, 'No need to change margin type.']);
    r.place(limit('BUY', '59000', '0.001', 'rest'));
    expect(mt('ISOLATED')).toEqual([-4047, 'Margin type cannot be changed if there exists open orders.']);
    r.engine.cancelOrder('BTCUSDT', { clientOrderId: 'rest' }, r.clock.t);
    r.place(market('BUY', '0.001', 'pos'));
    expect(mt('ISOLATED')).toEqual([-4048, 'Margin type cannot be changed if there exists position.']);
    r.place(market('SELL', '0.001', 'flat', { reduceOnly: true }));
    expect(mt('ISOLATED')).toBe('ok');
  });

  it('position mode: one-way only; true is -4060, false is -4059', () => {
    const r = traded();
    expect(refusal(r.engine.setDualSidePosition(true))).toEqual([-4060, 'Invalid position side.']);
    expect(refusal(r.engine.setDualSidePosition(false))).toEqual([-4059, 'No need to change position side.']);
    expect(r.engine.dualSidePosition()).toBe(false);
  });
});
