import { afterEach, describe, expect, it } from 'vitest';
import { pipelineRig } from '../../kit/pipeline-rig.js';
import { until } from '../../kit/paper-chat.js';

type Rig = Awaited<ReturnType<typeof pipelineRig>>;
let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('unknown placement outcomes', () => {
  it('-1007 after the order was really placed, on every one of 200 placements: exactly 200 orders, none doubled, all known', async () => {
    // Rate limits are not the point here: the sandbox allows far more than 200 orders per 10 s.
    rig = await pipelineRig({ limits: { ordersPer10s: 100_000 } });
    const intents = rig.restingBuys(200);
    rig.server.faults.arm({ kind: 'unknownAfterPlace', count: 200 });
    rig.submit(intents);
    await until(() => rig!.app.kernel.tracker.open().every((o) => o.status === 'accepted'), 60_000);
    await rig.app.pipeline.executor.settled();

    const ids = intents.map((i) => i.clientOrderId).sort();
    expect(rig.venueOpen()).toEqual(ids);
    expect(rig.botOpen()).toEqual(ids);
    for (const id of ids) expect(rig.accepted.get(id)).toHaveLength(1);
    // Every placement met the fault: the -1007s really happened, and were settled by asking, not by placing again.
    const posts = rig.responses.filter((r) => r.method === 'POST' && r.path === '/api/v3/order');
    expect(posts).toHaveLength(200);
    expect(posts.every((r) => r.status === 503)).toBe(true);
    expect(rig.responses.filter((r) => r.method === 'GET' && r.path === '/api/v3/order').length).toBeGreaterThanOrEqual(200);
  }, 90_000);
});

describe('unknown outcomes that did not place the order', () => {
  it('a 5xx that never reached the book is asked about, found absent twice, and placed once more under the same id', async () => {
    rig = await pipelineRig({ limits: { ordersPer10s: 100_000 } });
    const [intent] = rig.restingBuys(1);
    rig.server.faults.arm({ kind: 'http5xx', match: 'POST /api/v3/order', count: 1 });
    rig.submit([intent!]);
    await until(() => rig!.app.kernel.tracker.get(intent!.clientOrderId)?.status === 'accepted', 15_000);
    const posts = rig.responses.filter((r) => r.method === 'POST' && r.path === '/api/v3/order').map((r) => r.status);
    expect(posts).toEqual([503, 200]);
    expect(rig.accepted.get(intent!.clientOrderId)).toHaveLength(1);
    expect(rig.venueOpen()).toEqual([intent!.clientOrderId]);
  }, 30_000);

  it('still unknown after the settle window: the owner is told with the order; once the exchange answers, it is settled', async () => {
    rig = await pipelineRig({ limits: { ordersPer10s: 100_000 }, env: { UNKNOWN_SETTLE_SECONDS: '1' } });
    const [intent] = rig.restingBuys(1);
    rig.server.faults.arm({ kind: 'http5xx', match: 'POST /api/v3/order', count: 1 });
    rig.server.faults.arm({ kind: 'http5xx', match: 'GET /api/v3/order', count: 'all' });
    rig.submit([intent!]);
    const told = await rig.type('', `Order outcome unknown: BUY BTCUSDT ${intent!.clientOrderId}`, 15_000);
    expect(told).toMatch(/will not be sent twice/);
    expect(rig.app.kernel.tracker.get(intent!.clientOrderId)?.status).toBe('unknown');

    rig.server.faults.clear();
    await rig.app.kernel.reconciler.reconcile();
    expect(rig.app.kernel.tracker.get(intent!.clientOrderId)?.status).toBe('rejected');
    // The owner's line is written after the dispatch that settled it (notifications are off the trading path).
    await until(() => /never placed/.test(rig!.screen()));
    expect(rig.accepted.get(intent!.clientOrderId)).toBeUndefined();
    expect(rig.venueOpen()).toEqual([]);
  }, 30_000);
});
