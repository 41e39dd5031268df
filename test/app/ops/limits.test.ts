import { afterEach, describe, expect, it } from 'vitest';
import { pipelineRig } from '../../kit/pipeline-rig.js';
import { closedPort } from '../../kit/redis.js';
import { until } from '../../kit/until.js';
import { parsePrometheus, total } from './ops-http.js';

type Rig = Awaited<ReturnType<typeof pipelineRig>>;
let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
}, 30_000);

describe('/limits in the chat', () => {
  it("shows the exchange's limits against the bot's use and the exchange's own count, the last 429, and empty queues", async () => {
    // A clock 20 times wall time keeps the 429's 2 s Retry-After short.
    rig = await pipelineRig({ rate: 20, env: { METRICS_PORT: String(await closedPort()) } });
    const limits = rig.app.kernel.gateway.spot.rateLimits();
    rig.server.faults.arm({ kind: 'rateLimit', match: 'POST /api/v3/order', count: 1, retryAfter: 2 });
    rig.submit(rig.restingBuys(2));
    await until(() => rig!.accepted.size === 2, 30_000);
    await until(() => rig!.app.kernel.tracker.open().every((o) => o.status === 'accepted'), 10_000);
    // The placement the 429 sent to the queue can be accepted on the user stream before its job is done: the queues
    // are empty once the bot has heard every job finish.
    await rig.app.kernel.executor.settled();
    const answered429 = rig.responses.filter((r) => r.status === 429).length;
    expect(answered429).toBe(1);

    const reply = await rig.type('/limits', 'Oldest queued job:');
    for (const l of limits.filter((x) => x.rateLimitType !== 'RAW_REQUESTS')) {
      const name = `${l.rateLimitType === 'ORDERS' ? 'orders' : 'weight'} ${l.intervalNum}${l.interval[0]!.toLowerCase()}`;
      expect(reply).toMatch(new RegExp(`${name}\\s+\\d+ / ${l.limit}\\s`));
    }
    expect(reply).toMatch(/weight 1m\s+\d+ \/ \d+\s+[\d.]+ %\s+exchange counts \d+/);
    expect(reply).toMatch(/Exchange 429\/418 answers: 1, last \S.* ago/);
    expect(reply).toContain('Order queues: orders-place 0 waiting, 0 running · orders-cancel 0 waiting, 0 running');
    expect(reply).toContain('Oldest queued job: none');

    const metrics = parsePrometheus(await (await fetch(`${rig.app.ops.url()!}/metrics`)).text());
    expect(total(metrics, 'telegrid_exchange_rate_limited_total')).toBe(1);
  }, 60_000);
});
