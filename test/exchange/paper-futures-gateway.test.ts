/**
 * The in-process paper USD-M venue: the FuturesGateway contract the real adapter passes against the sandbox server
 * (but klines and listenKey expiry, which an in-process venue does not have), and its reports equal to what the real
 * adapter reads from the sandbox's wire frames of the same engine events.
 */
import { describe, expect, it } from 'vitest';
import { SPOT_CATALOG, catalogInstrument, fx } from '../../src/domain/index.js';
import { ManualClock } from '../../src/engine/index.js';
import { mapFuturesUserEvent } from '../../src/exchange/binance-futures/index.js';
import { PaperFuturesGateway } from '../../src/exchange/paper/index.js';
import { accountUpdate, marginCall, streamReport } from '../../src/exchange/paper/paper-futures-mapping.js';
import type { FuturesEvent } from '../../src/sandbox/futures/index.js';
import { futuresUserFrame } from '../../src/sandbox/server/ws/fapi-user-payloads.js';
import { SandboxHub } from '../../src/sandbox/index.js';
import { runFuturesGatewayContract } from './futures-gateway-contract.js';

const T0 = 1_760_025_300_000;

runFuturesGatewayContract(
  'PaperFuturesGateway in process',
  () => {
    const clock = new ManualClock(T0);
    const gateway = new PaperFuturesGateway({
      instruments: SPOT_CATALOG.map((e) => e.instrument),
      account: { walletBalance: fx('10000') },
      clock,
    });
    let tradeId = 0;
    return {
      gateway,
      trade: (symbol, price, quantity) => {
        clock.advance(1);
        gateway.onTrade({ symbol, price, quantity, time: clock.now(), tradeId: ++tradeId, isBuyerMaker: false });
      },
      advance: (ms) => {
        clock.advance(ms);
        gateway.advance();
      },
      now: () => clock.now(),
      streamReady: async () => undefined,
    };
  },
  { klines: false, listenKey: false },
);

describe('PaperFuturesGateway maps the engine’s events as the real adapter reads their wire frames', () => {
  it('orders, fills, cancels, isolated and cross account updates, funding, a margin call and a liquidation', () => {
    const clock = new ManualClock(T0);
    const hub = new SandboxHub({
      instruments: [catalogInstrument('BTCUSDT')!],
      account: { apiKey: 'k', apiSecret: 's' },
      now: () => clock.now(),
      futuresAccount: { walletBalance: fx('1000') },
    });
    const events: FuturesEvent[] = [];
    hub.onFuturesEvent((e) => events.push(e));
    let tradeId = 0;
    const trade = (price: string) => {
      clock.advance(1_000);
      hub.trade({ symbol: 'BTCUSDT', price: fx(price), quantity: fx('5'), time: clock.now(), tradeId: ++tradeId, isBuyerMaker: false });
    };
    const place = (side: 'BUY' | 'SELL', price: string, quantity: string, clientOrderId: string) => {
      const r = hub.futures.placeOrder(
        { symbol: 'BTCUSDT', side, type: 'LIMIT', timeInForce: 'GTC', price: fx(price), quantity: fx(quantity), clientOrderId },
        clock.now(),
      );
      if (!r.ok) throw new Error(r.error.message);
    };
    trade('50000');
    // Cross: a long opened and partly closed as maker, a resting order canceled.
    place('BUY', '49900', '0.01', 'a');
    trade('49800');
    place('SELL', '50100', '0.005', 'b');
    trade('50200');
    place('BUY', '40000', '0.01', 'c');
    hub.futures.cancelOrder('BTCUSDT', { clientOrderId: 'c' }, clock.now());
    // Funding on the cross position, then isolated x20: a long that the market liquidates.
    clock.advance(hub.futuresMarket.nextFundingTime('BTCUSDT') - clock.now());
    hub.advanceFutures();
    place('SELL', '49000', '0.005', 'd');
    trade('50000');
    hub.futures.setMarginType('BTCUSDT', 'ISOLATED', clock.now());
    hub.futures.setLeverage('BTCUSDT', 20, clock.now());
    place('BUY', '49900', '0.1', 'e');
    trade('49800');
    trade('47000');

    const kinds = new Set(
      events.map((e) => (e.type === 'order' ? `order ${e.execution}` : e.type === 'account' ? `account ${e.reason}` : e.type)),
    );
    expect([...kinds]).toEqual(
      expect.arrayContaining([
        'order NEW',
        'order TRADE',
        'order CANCELED',
        'order CALCULATED',
        'account ORDER',
        'account FUNDING_FEE',
        'marginCall',
        'leverage',
      ]),
    );
    expect(events.some((e) => e.type === 'account' && e.positions.some((p) => p.marginType === 'ISOLATED' && p.isolatedWallet > 0n))).toBe(
      true,
    );
    for (const e of events) {
      const wire = mapFuturesUserEvent(JSON.parse(JSON.stringify(futuresUserFrame(e, e.time))));
      if (!wire.ok) throw new Error(wire.error.message);
      const read = wire.value;
      switch (e.type) {
        case 'order':
          expect(read).toEqual({ type: 'execution', report: streamReport(e) });
          break;
        case 'account':
          expect(read).toEqual({ type: 'account', update: accountUpdate(e) });
          break;
        case 'marginCall':
          expect(read).toEqual({ type: 'marginCall', call: marginCall(e) });
          break;
        case 'leverage':
          expect(read.type).toBe('ignored');
          break;
      }
    }
  });
});
