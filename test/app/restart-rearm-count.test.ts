/**
 * A restart that finds a fill made while the bot was down re-arms it through the executor like any other re-arm. That
 * re-arm is `new` while the start-up recovery goes on, but it was never a placement the last run left unanswered: it
 * is not queued a second time, not counted as resumed, and costs no second reconciliation pass.
 */
import { describe, expect, it } from 'vitest';
import { fx } from '../../src/domain/index.js';
import { testnetSandbox } from '../kit/testnet-app.js';
import { until } from '../kit/until.js';

const ACCOUNT = { apiKey: 'rearm-count-key-0123456789', apiSecret: 'rearm-count-secret-0123456789' };
const SETTINGS = { RISK_STALE_AFTER_SECONDS: '0', LOG_LEVEL: 'silent', METRICS_PORT: '0' };

describe('a fill found at restart', () => {
  it('is re-armed once, and the re-arm is not reported as a placement queued again', async () => {
    const { clock, hub, start } = await testnetSandbox({ account: ACCOUNT });
    let tradeId = 0;
    // Between the reference and the first buy (40,000 and 39,600): nothing rests there, so nothing else fills.
    let price = fx('39900');
    const market = setInterval(() => {
      clock.advance(100);
      hub.trade({ symbol: 'BTCUSDT', price, quantity: fx('1'), time: clock.now(), tradeId: ++tradeId, isBuyerMaker: false });
    }, 10);
    const resting = () => {
      const open = hub.engine.openOrders();
      return open.ok ? open.value.map((o) => o.clientOrderId) : [];
    };
    try {
      price = fx('40000');
      const first = await start(SETTINGS);
      if (!first.started.ok) throw new Error(first.started.error.message);
      const app = first.started.value;
      await until(() => app.kernel.market.lastPrice('BTCUSDT') !== undefined, 10_000);
      first.input.write('/grid BTCUSDT 2 1 20\n');
      await until(() => first.screen().includes('Type confirm or cancel.'), 10_000);
      first.input.write('confirm\n');
      await until(() => resting().length === 4, 10_000);
      price = fx('39900');
      await app.shutdown();

      // While it is down, the first buy (39,600) fills.
      hub.trade({ symbol: 'BTCUSDT', price: fx('39500'), quantity: fx('1'), time: clock.now(), tradeId: ++tradeId, isBuyerMaker: false });
      expect(resting()).toHaveLength(3);

      const second = await start(SETTINGS);
      if (!second.started.ok) throw new Error(second.started.error.message);
      await until(() => second.screen().includes('Restored from Redis'), 10_000);
      expect(second.screen()).toContain('fills booked that happened while telegrid was down: 1');
      expect(second.screen()).toContain('orders placed for them (re-arms): 1');
      expect(second.screen()).toContain('placements that had not reached the exchange, queued again: 0');
      // And the re-arm does reach the exchange: the ladder is whole again.
      await until(() => resting().length === 4, 10_000);
    } finally {
      clearInterval(market);
    }
  }, 60_000);
});
