import { describe, expect, it } from 'vitest';
import { hostileRun } from '../kit/hostile-run.js';

/** `npm run soak` plays the full 10,000; here a smaller seeded share runs in every `npm test`. */
const UPDATES = Number(process.env.HOSTILE_UPDATES ?? 400);

describe('hostile Telegram traffic (seeded: random unicode, huge arguments, edits, forged and replayed buttons, strangers, bursts)', () => {
  it('keeps answering, places nothing unasked, refuses strangers within budget and echoes no control character', async () => {
    const report = await hostileRun(20261204, UPDATES);
    console.log(
      `hostile: ${report.updates} updates from ${report.steps} steps`,
      JSON.stringify({ ...report, byKind: undefined }),
      JSON.stringify(report.byKind),
    );
    expect(report.ordersPlaced).toBe(0);
    expect(report.tradingState).toBe('ACTIVE');
    expect(report.withControlCharacters).toBe(0);
    expect(report.toOwner).toBeGreaterThan(2); // the banner, the previews, and answers to the owner's own commands
    expect(report.toStrangers).toBeLessThanOrEqual(2); // one refusal per chat per 10 minutes (and a /whoami or two)
    expect(report.killAcknowledged).toBe(true);
  }, 400_000);
});
