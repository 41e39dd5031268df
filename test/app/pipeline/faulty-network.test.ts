import { afterEach, describe, expect, it } from 'vitest';
import { fx } from '../../../src/domain/index.js';
import { until } from '../../kit/paper-chat.js';
import { pipelineRig } from '../../kit/pipeline-rig.js';

type Rig = Awaited<ReturnType<typeof pipelineRig>>;
let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('a faulty network', () => {
  it(
    '5xx and timeouts on about 30 % of requests through a 500-order grid build and a re-arm cycle: ' +
      'no client id placed twice; the bot’s orders are the exchange’s',
    async () => {
      // Rate limits are not the point here (they have their own tests); Binance's 200 open orders per symbol is, so the
      // 500 orders spread over three symbols.
      rig = await pipelineRig({
        symbols: ['BTCUSDT', 'ETHUSDT', 'BNBUSDT'],
        limits: { ordersPer10s: 100_000, weightPerMinute: 1_000_000 },
        balances: { USDT: fx('100000'), BTC: fx('10'), ETH: fx('100'), BNB: fx('1000') },
        env: { EXCHANGE_TIMEOUT_MS: '400', ORDER_CONCURRENCY: '16' },
      });
      rig.server.faults.arm({ kind: 'http5xx', match: '*', count: 'all', every: 5 }); // not performed
      rig.server.faults.arm({ kind: 'http5xx', match: '*', count: 'all', every: 7, execute: true }); // performed, answer lost
      rig.server.faults.arm({ kind: 'delay', match: '*', count: 'all', every: 11, ms: 700 }); // performed after the bot gave up waiting

      for (const [symbol, levels] of [
        ['BTCUSDT', 80],
        ['ETHUSDT', 80],
        ['BNBUSDT', 90],
      ] as const) {
        await rig.type(`/grid ${symbol} ${levels} 0.05 6`, 'Type confirm or cancel.');
        await rig.type('confirm', 'started');
      }
      const settled = () => rig!.app.kernel.tracker.open().every((o) => o.status !== 'new');
      await until(settled, 180_000);
      expect(rig.app.kernel.tracker.orderIds().length).toBe(500); // the account holds the base the sells need: no market buys

      const ladder = new Set(rig.app.kernel.tracker.orderIds());
      let venueFills = 0;
      let botFills = 0;
      rig.hub.onVenueEvent((e) => e.type === 'execution' && e.report.trade !== undefined && venueFills++);
      rig.app.kernel.host.bus.on('OrderFilled', () => botFills++);
      // A re-arm cycle: each market falls 1 % and comes back, through 20 levels each way, in steps.
      for (const symbol of ['BTCUSDT', 'ETHUSDT', 'BNBUSDT']) {
        const start = rig.app.kernel.market.lastPrice(symbol)!;
        for (let step = 1; step <= 10; step++) rig.tick(symbol, start - (start * BigInt(step)) / 1000n);
        for (let step = 9; step >= 0; step--) rig.tick(symbol, start - (start * BigInt(step)) / 1000n);
      }
      // The fills have come back over the user stream, and every job has finished (placed, or given up as unknown for the
      // reconciler), still under the faults.
      await until(() => venueFills > 0 && botFills === venueFills, 60_000);
      await until(settled, 180_000);
      const faulted = rig.responses.filter((r) => r.status >= 500).length;
      expect(faulted / rig.responses.length).toBeGreaterThan(0.2);

      rig.server.faults.clear();
      await rig.app.kernel.reconciler.reconcile();
      await until(() => rig!.app.kernel.tracker.open().every((o) => o.status === 'accepted' || o.status === 'partially_filled'), 30_000);
      await until(() => JSON.stringify(rig!.botOpen()) === JSON.stringify(rig!.venueOpen()), 30_000);
      const doubled = [...rig.accepted].filter(([, times]) => times.length > 1).map(([id]) => id);
      expect(doubled).toEqual([]);
      expect(rig.botOpen()).toEqual(rig.venueOpen());
      const rearms = [...rig.accepted.keys()].filter((id) => !ladder.has(id));
      expect(rearms.length).toBeGreaterThanOrEqual(10); // the cycle re-armed through the faults too
    },
    240_000,
  );
});
