import { afterEach, describe, expect, it } from 'vitest';
import { pipelineRig } from '../../kit/pipeline-rig.js';
import { closedPort } from '../../kit/redis.js';
import { privateRedis } from '../../kit/redis-process.js';
import { eventually, getHealth } from './ops-http.js';

type Rig = Awaited<ReturnType<typeof pipelineRig>>;
let rig: Rig | undefined;
let redis: Awaited<ReturnType<typeof privateRedis>> | undefined;
afterEach(async () => {
  await rig?.close();
  await redis?.kill();
  rig = undefined;
  redis = undefined;
}, 30_000);

describe('/health', () => {
  it('answers 503 naming Redis while Redis is down, and 200 again once it is back', async () => {
    redis = await privateRedis();
    rig = await pipelineRig({ env: { REDIS_URL: redis.url, METRICS_PORT: String(await closedPort()) } });
    const url = rig.app.ops.url()!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const up = await getHealth(url);
    expect(up.status).toBe(200);
    expect(up.body.unsafe).toEqual([]);
    expect(up.body).toMatchObject({ redis: { ok: true }, userStream: { state: 'ready' }, tradingState: 'ACTIVE' });
    expect(up.body.queues).toEqual([
      { name: 'orders-place', waiting: 0, active: 0 },
      { name: 'orders-cancel', waiting: 0, active: 0 },
    ]);

    await redis.kill();
    const down = await eventually(
      () => getHealth(url),
      (h) => h.status === 503,
    );
    expect(down.body.status).toBe('unsafe');
    expect(down.body.unsafe).toEqual([expect.stringMatching(/^redis: /)]);
    expect(down.body).toMatchObject({ redis: { ok: false } });

    await redis.start();
    const back = await eventually(
      () => getHealth(url),
      (h) => h.status === 200,
    );
    expect(back.body.unsafe).toEqual([]);
    expect(back.body).toMatchObject({ redis: { ok: true } });
  }, 60_000);
});
