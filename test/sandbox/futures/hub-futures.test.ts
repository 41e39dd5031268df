import { describe, expect, it } from 'vitest';
import { type TradeTick, fx } from '../../../src/domain/index.js';
import type { FuturesEvent } from '../../../src/sandbox/futures/index.js';
import { SandboxHub, type SandboxHubOptions } from '../../../src/sandbox/server/index.js';
import { decodeAccountDocument, encodeAccountDocument } from '../../../src/sandbox/server/store/account-document.js';
import { BTC, ETH, START, kinds, limit, market } from './fixtures.js';

function hubAt(clock: { t: number }, extra: Partial<SandboxHubOptions> = {}): SandboxHub {
  return new SandboxHub({
    instruments: [BTC, ETH],
    account: { apiKey: 'k', apiSecret: 's' },
    now: () => clock.t,
    ...extra,
  });
}

let id = 0;
const tick = (symbol: string, price: string, time: number): TradeTick => ({
  symbol,
  price: fx(price),
  quantity: fx('1'),
  time,
  tradeId: ++id,
  isBuyerMaker: false,
});

describe('SandboxHub futures wiring', () => {
  it('commands announce their events to onFuturesEvent before returning; trades and the clock feed the engine', () => {
    const clock = { t: START };
    const hub = hubAt(clock);
    const heard: FuturesEvent[] = [];
    hub.onFuturesEvent((e) => heard.push(e));
    hub.trade(tick('BTCUSDT', '60000', clock.t));
    expect(hub.futuresMarket.markPrice('BTCUSDT')).toBe(fx('60000'));
    const placed = hub.futures.placeOrder(market('BUY', '0.1', 'm'), clock.t);
    expect(placed.ok && placed.value.events).toEqual(heard);
    hub.futures.placeOrder(limit('SELL', '61000', '0.1', 'tp'), clock.t);
    heard.length = 0;
    hub.trade(tick('BTCUSDT', '61000.01', clock.t));
    expect(kinds(heard)).toEqual(['account:ORDER', 'order:TRADE:FILLED']);
    // Spot is untouched by futures orders.
    expect(hub.engine.openOrders()).toEqual({ ok: true, value: [] });

    hub.futures.placeOrder(market('BUY', '0.1', 'again'), clock.t);
    heard.length = 0;
    clock.t = Date.UTC(2026, 0, 1, 8);
    hub.advanceFutures();
    expect(kinds(heard)).toEqual(['account:FUNDING_FEE']);
  });

  it('a crash on the tape: the margin call, then the liquidation, reach listeners in that order', () => {
    const clock = { t: START };
    const hub = hubAt(clock, { futuresAccount: { walletBalance: fx('1000') } });
    const heard: FuturesEvent[] = [];
    hub.onFuturesEvent((e) => heard.push(e));
    hub.trade(tick('BTCUSDT', '60000', clock.t));
    hub.futures.placeOrder(market('BUY', '0.3', 'x20'), clock.t);
    const predicted = hub.futures.positions('BTCUSDT');
    const lp = predicted.ok ? predicted.value[0]?.liquidationPrice : undefined;
    heard.length = 0;
    clock.t += 1000;
    hub.trade(tick('BTCUSDT', '55000', clock.t));
    expect(kinds(heard)).toEqual(['marginCall', 'account:ORDER', 'order:CALCULATED:FILLED']);
    expect(heard[2]).toMatchObject({ order: { type: 'LIQUIDATION', clientOrderId: `autoclose-${clock.t}` }, fill: { price: lp } });
  });

  it('snapshot round trip through the stored document: the restored account answers and behaves the same', () => {
    const clock = { t: START };
    const hub = hubAt(clock, { futuresAccount: { walletBalance: fx('5000') } });
    hub.trade(tick('BTCUSDT', '60000', clock.t));
    hub.trade(tick('ETHUSDT', '3000', clock.t));
    const f = hub.futures;
    f.setLeverage('BTCUSDT', 10, clock.t);
    f.setMarginType('ETHUSDT', 'ISOLATED', clock.t);
    f.placeOrder(market('BUY', '0.05', 'btc-long'), clock.t);
    f.placeOrder({ ...market('SELL', '1', 'eth-short'), symbol: 'ETHUSDT' }, clock.t);
    f.placeOrder(limit('SELL', '61000', '0.02', 'btc-tp'), clock.t);
    f.placeOrder(limit('BUY', '59000', '0.01', 'btc-bid'), clock.t);
    f.placeOrder(limit('SELL', '62000', '0.01', 'btc-ro', { reduceOnly: true }), clock.t);
    f.countdownCancelAll('BTCUSDT', 60_000, clock.t);
    clock.t += 1000;
    hub.trade(tick('BTCUSDT', '61000.5', clock.t));

    const text = encodeAccountDocument(hub.snapshot(), clock.t);
    const doc = decodeAccountDocument(text);
    if (!doc.ok) throw new Error(doc.error.message);
    const restored = SandboxHub.fromSnapshot(
      {
        instruments: [BTC, ETH],
        account: { apiKey: 'k', apiSecret: 's' },
        now: () => clock.t,
        futuresAccount: { walletBalance: fx('5000') },
      },
      doc.value.account,
    );
    if (!restored.ok) throw new Error(restored.error.message);
    const again = restored.value;
    // The mark is the market's, rebuilt from the tape: feed the restored hub the same last trades.
    again.trade(tick('ETHUSDT', '3000', clock.t));
    again.trade(tick('BTCUSDT', '61000.5', clock.t));

    const views = (h: SandboxHub) => ({
      positions: h.futures.positions(),
      account: h.futures.account(),
      open: h.futures.openOrders(),
      all: h.futures.allOrders('BTCUSDT'),
      trades: h.futures.userTrades('BTCUSDT'),
      income: h.futures.income(),
      config: h.futures.symbolConfig(),
    });
    expect(views(again)).toEqual(views(hub));
    expect(JSON.parse(text)).toEqual(JSON.parse(encodeAccountDocument(again.snapshot(), clock.t)));

    // And it goes on the same way: the same trades and clock give the same events.
    const events = (h: SandboxHub) => {
      const out: FuturesEvent[] = [];
      const off = h.onFuturesEvent((e) => out.push(e));
      clock.t = START + 61_000; // past the BTCUSDT countdown's deadline
      h.trade(tick('BTCUSDT', '58000', clock.t));
      clock.t = Date.UTC(2026, 0, 1, 8);
      h.advanceFutures();
      clock.t = START + 1000;
      off();
      return out;
    };
    const a = events(hub);
    clock.t = START + 1000;
    const b = events(again);
    expect(b).toEqual(a);
    expect(kinds(a)).toContain('order:CANCELED:CANCELED');
    expect(kinds(a)).toContain('account:FUNDING_FEE');
  });

  it('a document saved before futures existed restores with a fresh futures account', () => {
    const clock = { t: START };
    const hub = hubAt(clock);
    const { futures: _futures, ...spotOnly } = hub.snapshot();
    const doc = decodeAccountDocument(encodeAccountDocument(spotOnly, clock.t));
    expect(doc.ok).toBe(true);
    const restored = SandboxHub.fromSnapshot(
      { instruments: [BTC, ETH], account: { apiKey: 'k', apiSecret: 's' }, now: () => clock.t },
      spotOnly,
    );
    expect(restored.ok && restored.value.futures.balances()[0]?.walletBalance).toBe(fx('10000'));
  });
});
