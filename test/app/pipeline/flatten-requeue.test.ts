import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { bullConnection } from '../../../src/app/redis-connection.js';
import { fx, manualOrderId } from '../../../src/domain/index.js';
import { type OrderWorkers, PLACE_QUEUE, placeJobId, startOrderWorkers, systemTime } from '../../../src/execution/index.js';
import { until } from '../../kit/paper-chat.js';
import { pipelineRig } from '../../kit/pipeline-rig.js';
import { privateRedis } from '../../kit/redis-process.js';

type Rig = Awaited<ReturnType<typeof pipelineRig>>;
let rig: Rig | undefined;
let redis: Awaited<ReturnType<typeof privateRedis>> | undefined;
let workers: OrderWorkers | undefined;
afterEach(async () => {
  await workers?.close();
  await rig?.close();
  await redis?.kill();
  rig = redis = workers = undefined;
});

describe('a flattening order queued again after Redis restarted empty', () => {
  it('is the same order: it still reduces a position, so the workers place it under REDUCING and it sells', async () => {
    redis = await privateRedis();
    // No workers in the bot: the placement decided below waits in the queue until the test starts some.
    rig = await pipelineRig({ env: { REDIS_URL: redis.url, ORDER_WORKERS_IN_PROCESS: 'false' } });
    const { app } = rig;
    const reader = new Redis(redis.url);
    try {
      // What /kill flatten does after its cancels: REDUCING, in force for every worker, then a market sell that reduces.
      app.kernel.tradingState.set('REDUCING', 'kill switch: flattening positions');
      await waitForValue(reader, `${rig.prefix}:trading:state`, 'REDUCING');
      const id = manualOrderId('F1', 'SELL');
      app.kernel.host.bus.send({
        type: 'SubmitOrder',
        intent: {
          clientOrderId: id,
          symbol: 'BTCUSDT',
          side: 'SELL',
          type: 'MARKET',
          quantity: fx('0.001'),
          owner: { kind: 'manual' },
          reducesPosition: true,
        },
      });
      const queue = new Queue(PLACE_QUEUE, { connection: bullConnection(redis.url), prefix: rig.prefix });
      await until(() => app.kernel.tracker.get(id)?.status === 'new');
      for (let i = 0; i < 200 && (await queue.getJobState(placeJobId(id))) !== 'waiting'; i++) await new Promise((r) => setTimeout(r, 10));
      expect(await queue.getJobState(placeJobId(id))).toBe('waiting');
      await queue.close();

      // Redis restarts and keeps nothing: the job is gone, and the bot queues the placement again from its own books.
      await redis.kill();
      await until(() => rig!.screen().includes('Redis connection lost'), 20_000);
      await redis.start();
      await until(() => rig!.screen().includes('1 waiting placement(s) queued again'), 30_000);
      await waitForValue(reader, `${rig.prefix}:trading:state`, 'REDUCING');

      workers = startOrderWorkers({
        connection: bullConnection(redis.url),
        prefix: rig.prefix,
        concurrency: 4,
        gateway: app.kernel.gateway,
        budget: app.pipeline.governor,
        time: systemTime,
        settleMs: 30_000,
        absentConfirmMs: 1_000,
        log: { warn: () => undefined, error: () => undefined },
      });
      await until(() => app.kernel.tracker.get(id)?.status === 'filled', 30_000);
      expect(rig.responses.filter((r) => r.method === 'POST' && r.path === '/api/v3/order' && r.status === 200)).toHaveLength(1);
    } finally {
      await reader.quit();
    }
  }, 90_000);
});

async function waitForValue(redis: Redis, key: string, value: string): Promise<void> {
  for (let i = 0; i < 500 && (await redis.get(key).catch(() => null)) !== value; i++) await new Promise((r) => setTimeout(r, 10));
  expect(await redis.get(key)).toBe(value);
}
