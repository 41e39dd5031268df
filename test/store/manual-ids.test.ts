import { describe, expect, it } from 'vitest';
import { REDIS_KEYS, fx, manualOrderId } from '../../src/domain/index.js';
import { redisForEachTest } from '../kit/redis.js';
import { engineWithStore } from './state-kit.js';

describe('the id counters a manual order draws from', () => {
  const db = redisForEachTest();
  it('are saved with the order, so a restart right after a flattening /kill cannot hand out the same client id again', async () => {
    const { redis, prefix } = db;
    const { engine, ids, store } = engineWithStore(redis, prefix);
    engine.host.add(store);
    await engine.start();
    engine.pump.pump(1);
    // What /kill flatten does: an id from the shared counters and a market order (here a buy: the account holds USDT).
    const id = manualOrderId(ids.next('F'), 'BUY');
    engine.host.bus.send({
      type: 'SubmitOrder',
      intent: {
        clientOrderId: id,
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'MARKET',
        quantity: fx('0.002'),
        owner: { kind: 'manual' },
        reducesPosition: false,
      },
    });
    await store.commit();
    expect(await redis.hexists(REDIS_KEYS.stateOrders.key(prefix), id)).toBe(1);
    const saved = JSON.parse((await redis.get(REDIS_KEYS.stateIds.key(prefix))) ?? '{}') as Record<string, number>;
    expect(saved.F).toBe(1);
    await engine.stop();
  });
});
