import { describe, expect, it } from 'vitest';
import { REDIS_KEYS } from '../../src/domain/index.js';
import { redisForEachTest } from '../kit/redis.js';
import { engineWithStore, tradeAMorning } from './state-kit.js';

describe('a grid saved by the release before issue 9', () => {
  const db = redisForEachTest();
  it('still loads: its own round-trip count, profit and trade ids are read and dropped (the portfolio and tracker own them)', async () => {
    const { redis, prefix } = db;
    const morning = await tradeAMorning(redis, prefix);
    await morning.engine.stop();
    const key = REDIS_KEYS.stateGrids.key(prefix);
    const saved = await redis.hgetall(key);
    expect(Object.keys(saved).length).toBeGreaterThan(0);
    for (const [gridId, text] of Object.entries(saved)) {
      const grid = JSON.parse(text) as { open: Array<Record<string, unknown>> } & Record<string, unknown>;
      const legacy = { ...grid, roundTrips: 3, profit: { $big: '80900000' }, open: grid.open.map((o) => ({ ...o, trades: [7, 9] })) };
      await redis.hset(key, gridId, JSON.stringify(legacy));
    }
    const later = engineWithStore(redis, prefix);
    const loaded = await later.store.load();
    expect(loaded.ok ? 'ok' : loaded.error.message).toBe('ok');
    if (!loaded.ok || !loaded.value) return;
    expect(later.store.restore(loaded.value).ok).toBe(true);
    expect(later.engine.grids.gridIds()).toEqual(Object.keys(saved).sort());
    // Anything else unknown is still refused.
    const [gridId, text] = Object.entries(saved)[0]!;
    await redis.hset(key, gridId, JSON.stringify({ ...(JSON.parse(text) as object), surprise: 1 }));
    const refused = await engineWithStore(redis, prefix).store.load();
    expect(refused.ok).toBe(false);
  });
});
