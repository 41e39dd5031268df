import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../kit/paper-chat.js';
import { pipelineRig } from '../../kit/pipeline-rig.js';
import { privateRedis } from '../../kit/redis-process.js';

type Rig = Awaited<ReturnType<typeof pipelineRig>>;
let rig: Rig | undefined;
let redis: Awaited<ReturnType<typeof privateRedis>> | undefined;
// A bot stopped within a second or two of Redis coming back can find BullMQ's connections still reconnecting; its order
// workers then close by the bounded path (5 s, then the connections are cut), so the hook allows for that.
afterEach(async () => {
  await rig?.close();
  await redis?.kill();
  rig = undefined;
  redis = undefined;
}, 30_000);

/** Waits until the chat has said `text` (anywhere on the screen: it may have been said before the wait began). */
const said = (text: string) => until(() => rig!.screen().includes(text), 30_000);

describe('Redis restarted mid-run', () => {
  it('the bot says so, holds new orders until Redis is back, then saves everything again and loses nothing', async () => {
    redis = await privateRedis();
    rig = await pipelineRig({ env: { REDIS_URL: redis.url }, limits: { ordersPer10s: 100_000 } });
    const before = rig.restingBuys(5);
    rig.submit(before);
    await until(() => rig!.accepted.size === 5, 10_000);

    await redis.kill();
    await said('Redis connection lost');
    // Orders decided while Redis is down wait: nothing reaches the exchange that the state has not saved.
    const during = rig.restingBuys(3, 6);
    rig.submit(during);
    await new Promise((r) => setTimeout(r, 300));
    expect(rig.accepted.size).toBe(5);

    await redis.start(); // empty: a restart that kept nothing
    await said('Redis is back');
    await until(() => rig!.accepted.size === 8, 20_000);
    expect(rig.botOpen()).toEqual(rig.venueOpen());
    expect([...rig.accepted.values()].every((times) => times.length === 1)).toBe(true);

    // The state is in the new Redis again, as another process reads it.
    const reader = new Redis(redis.url);
    try {
      await until(() => true);
      const saved = await reader.hkeys(`${rig.prefix}:state:orders`);
      expect(saved.sort()).toEqual([...before, ...during].map((i) => i.clientOrderId).sort());
      expect(await reader.get(`${rig.prefix}:trading:state`)).toBe('ACTIVE');
      expect(await reader.get(`${rig.prefix}:state:version`)).toBe('1');
    } finally {
      await reader.quit();
    }
  }, 60_000);
});

describe('the kill switch with Redis down', () => {
  it('does not wait for Redis: cancels every bot order on the exchange directly and says why in the receipt', async () => {
    redis = await privateRedis();
    rig = await pipelineRig({ env: { REDIS_URL: redis.url }, limits: { ordersPer10s: 100_000 } });
    rig.submit(rig.restingBuys(5));
    await until(() => rig!.accepted.size === 5, 10_000);
    await until(() => rig!.app.kernel.tracker.open().every((o) => o.status === 'accepted'), 10_000);

    await redis.kill();
    await said('Redis connection lost');
    const receipt = await rig.type('/kill now', 'Send /resume to trade again.', 15_000);
    expect(receipt).toContain('Orders cancelled: 5');
    expect(receipt).toMatch(/Redis did not answer/);
    expect(rig.venueOpen()).toEqual([]);
    expect(rig.app.kernel.tradingState.state()).toBe('HALTED');
    await redis.start(); // so the bot can shut down cleanly
    await said('Redis is back');
  }, 60_000);
});
