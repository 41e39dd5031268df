import { describe, expect, it } from 'vitest';
import { type CrashMarket, crashAndRecover } from '../../kit/crash-recovery.js';

// `npm run soak` runs the same 20 times with other seeds.
describe('kill -9 mid-stream and restart', () => {
  const runs: [CrashMarket, number][] = [
    ['spot', 1],
    ['spot', 2],
    ['futures', 3],
  ];
  for (const [market, seed] of runs) {
    it(
      `${market}, seed ${seed}: positions, realized PnL and open orders equal what the sandbox's history implies; ` +
        'nothing lost or doubled',
      async () => {
        const r = await crashAndRecover(seed, market);
        expect(r.fillsBeforeKill).toBeGreaterThanOrEqual(3);
        expect(r.doubled).toEqual([]);
        expect(r.unknownToBot).toEqual([]);
        expect(r.gridIssues).toEqual([]);
        expect(r.bot.openOrders).toEqual(r.exchange.openOrders);
        expect(r.bot.positions).toEqual(r.exchange.positions);
        expect(r.recoveryText).toContain('Restored from Redis');
        // Graceful shutdown on SIGTERM: exit 0 within 10 s.
        expect(r.exitCode).toBe(0);
        expect(r.shutdownMs).toBeLessThan(10_000);
      },
      360_000,
    );
  }
});
