import { describe, expect, it } from 'vitest';
import { encodeJson, fx } from '../../src/domain/index.js';
import type { TrackedOrderSnapshot } from '../../src/execution/index.js';
import type { VenueEvent } from '../../src/sandbox/index.js';
import { withRedis } from '../kit/redis.js';
import { testnetSandbox } from '../kit/testnet-app.js';

const KEY = 'corrupt-key-0123456789';
const SECRET = 'corrupt-secret-0123456789';
const START = 1_741_046_400_000;

/**
 * A placement the last run sent to the queue and never heard back about: at start it is queued again, so a state that
 * is wrongly accepted puts an order on the exchange.
 */
const unanswered: TrackedOrderSnapshot = {
  version: 1,
  record: {
    intent: {
      clientOrderId: 'tg_F1_B',
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      price: fx('80000'),
      quantity: fx('0.001'),
      timeInForce: 'GTC',
      owner: { kind: 'manual' },
      reducesPosition: false,
    },
    status: 'new',
    filledQty: fx('0'),
    filledQuote: fx('0'),
    createdAt: START - 60_000,
    updatedAt: START - 60_000,
  },
  tradeIds: [],
  retained: false,
};

describe('a damaged saved state at start', () => {
  it(
    'refuses the start, naming the key, the field and what is wrong; ' + 'nothing reaches the exchange and the state stays as it was',
    async () => {
      // The amount as a plain number: before, this loaded, and the first fill of the order crashed the bot, every restart.
      const damaged = encodeJson(unanswered).replace('"filledQuote":{"$big":"0"}', '"filledQuote":0');
      expect(damaged).toContain('"filledQuote":0');
      const { prefix, hub, start } = await testnetSandbox({ account: { apiKey: KEY, apiSecret: SECRET }, startTime: START });
      await withRedis(async (r) => {
        await r.set(`${prefix}:state:version`, '1');
        await r.hset(`${prefix}:state:orders`, 'tg_F1_B', damaged);
      });
      const venue: VenueEvent[] = [];
      hub.onVenueEvent((e) => venue.push(e));
      const { started } = await start();

      expect(started.ok).toBe(false);
      if (started.ok) return;
      expect(started.error.code).toBe('STATE_CORRUPT');
      expect(started.error.message).toContain(`Redis hash ${prefix}:state:orders, field tg_F1_B`);
      expect(started.error.message).toMatch(/at record\.filledQuote: expected an exact amount written as \{"\$big":"<integer>"\}, got 0/);
      expect(started.error.message).toContain(`redis-cli -n 0 HDEL ${prefix}:state:orders tg_F1_B`);
      // Nothing placed, then or a little later (a queued placement would have gone out by now).
      await new Promise((r) => setTimeout(r, 300));
      expect(venue.filter((e) => e.type === 'execution')).toEqual([]);
      expect(await withRedis((r) => r.hget(`${prefix}:state:orders`, 'tg_F1_B'))).toBe(damaged);
    },
  );
});
