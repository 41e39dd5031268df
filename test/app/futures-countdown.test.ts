import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FuturesCountdown } from '../../src/app/deadman/index.js';
import { SPOT_CATALOG, fx } from '../../src/domain/index.js';
import { ManualClock } from '../../src/engine/index.js';
import { BinanceFuturesGateway } from '../../src/exchange/binance-futures/index.js';
import { SandboxHub, type SandboxServer, startSandboxServer } from '../../src/sandbox/index.js';

const ACCOUNT = { apiKey: 'countdown-key-0123456789', apiSecret: 'countdown-secret-0123456789' };
const PERP = 'BTCUSDT.P';

// The countdown through the real futures adapter against the sandbox's /fapi, on one manual clock (pulse off): Binance's
// cancel happens when the test moves the clock past the deadline and the hub catches up.
describe("the dead-man's switch on futures (Binance's countdown cancel-all)", () => {
  let clock: ManualClock;
  let hub: SandboxHub;
  let server: SandboxServer;
  let futures: BinanceFuturesGateway;
  let open: string[];
  let countdown: FuturesCountdown;

  const restingOnVenue = () => {
    const r = hub.futuresEngine.openOrders('BTCUSDT');
    return r.ok ? r.value.map((o) => o.clientOrderId) : [];
  };
  const advance = (ms: number) => {
    clock.advance(ms);
    hub.advanceFutures();
  };

  beforeEach(async () => {
    clock = new ManualClock(1_760_025_300_000);
    hub = new SandboxHub({
      instruments: SPOT_CATALOG.map((e) => e.instrument),
      account: ACCOUNT,
      now: () => clock.now(),
      futuresAccount: { walletBalance: fx('10000') },
    });
    server = await startSandboxServer({ hub, port: 0, futuresStreams: { pulseMs: 0, pingIntervalMs: 0 } });
    futures = new BinanceFuturesGateway({
      ...ACCOUNT,
      httpFutures: server.httpBase,
      wsFuturesPublic: server.wsFutures,
      wsFuturesMarket: server.wsFutures,
      wsFuturesPrivate: server.wsFutures,
      clock,
    });
    hub.trade({ symbol: 'BTCUSDT', price: fx('40000'), quantity: fx('0.01'), time: clock.now(), tradeId: 1, isBuyerMaker: false });
    const placed = await futures.placeOrder({
      clientOrderId: 'tg_m1_B',
      symbol: PERP,
      side: 'BUY',
      type: 'LIMIT',
      price: fx('39000'),
      quantity: fx('0.005'),
    });
    if (!placed.ok) throw new Error(placed.error.message);
    open = [PERP];
    countdown = new FuturesCountdown({ futures, openSymbols: () => open, countdownMs: 30_000, log: { warn: () => undefined } });
  });

  afterEach(async () => {
    futures.close();
    await server.close();
  });

  it('is pushed back by every heartbeat, and cancels the orders once the beats stop', async () => {
    await countdown.beat();
    advance(20_000);
    await countdown.beat();
    advance(20_000);
    expect(restingOnVenue()).toEqual(['tg_m1_B']);
    // No beat for longer than the countdown: Binance cancels.
    advance(11_000);
    expect(restingOnVenue()).toEqual([]);
  });

  it('is disarmed on a symbol without open bot orders, and at a clean stop', async () => {
    await countdown.beat();
    open = [];
    await countdown.beat();
    advance(60_000);
    expect(restingOnVenue()).toEqual(['tg_m1_B']);

    open = [PERP];
    await countdown.beat();
    await countdown.stop();
    advance(60_000);
    expect(restingOnVenue()).toEqual(['tg_m1_B']);
  });
});
