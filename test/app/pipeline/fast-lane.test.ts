import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { bullConnection } from '../../../src/app/redis-connection.js';
import { PLACE_QUEUE } from '../../../src/execution/index.js';
import { REDIS_URL } from '../../kit/redis.js';
import { pipelineRig } from '../../kit/pipeline-rig.js';
import { until } from '../../kit/until.js';
import { monitorRedis } from '../../kit/redis-monitor.js';

type Rig = Awaited<ReturnType<typeof pipelineRig>>;
let rig: Rig | undefined;
const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await rig?.close();
  rig = undefined;
});

describe('the fast lane', () => {
  it('saves an order and is granted its budget right behind the write, then sends it with no job and no worker hop', async () => {
    const r = (rig = await pipelineRig({ limits: { ordersPer10s: 100_000 } }));
    const monitor = await monitorRedis();
    closers.push(async () => monitor.close());
    const [intent] = rig.restingBuys(1);
    const id = intent!.clientOrderId;
    rig.submit([intent!]);
    await until(() => rig!.accepted.has(id) && rig!.app.kernel.tracker.get(id)?.status === 'accepted', 15_000);

    // The first write of the order (the state script, its record among the operations) and, next on the same
    // connection, the budget's script in the lane's mode ('*'): Redis has the order before it grants.
    const [commands, at] = [...monitor.bySource.values()]
      .map((list) => [list, list.findIndex((c) => c[0] === 'eval' && c.includes(`${r.prefix}:state:orders`) && c.includes(id))] as const)
      .find(([, i]) => i >= 0)!;
    const grant = commands[at + 1]!;
    expect(grant[0]).toBe('evalsha');
    expect(grant).toContain(`${r.prefix}:trading:state`);
    expect(grant).toContain('*');
    // Nothing was queued for it: BullMQ never heard of the order.
    const queue = new Queue(PLACE_QUEUE, { connection: bullConnection(REDIS_URL), prefix: r.prefix });
    closers.push(() => queue.close());
    expect(await queue.getJob(id)).toBeUndefined();
    expect(rig.accepted.get(id)).toHaveLength(1);
  }, 30_000);

  it('queues what it cannot take at once: a ladder beyond its capacity all reaches the book, once each', async () => {
    rig = await pipelineRig({ limits: { ordersPer10s: 100_000 }, env: { ORDER_CONCURRENCY: '2' } });
    const intents = rig.restingBuys(12);
    rig.submit(intents);
    await until(() => rig!.accepted.size === 12, 15_000);
    const queue = new Queue(PLACE_QUEUE, { connection: bullConnection(REDIS_URL), prefix: rig.prefix });
    closers.push(() => queue.close());
    const jobs = await Promise.all(intents.map((i) => queue.getJob(i.clientOrderId)));
    // Two went by the lane (its capacity), the rest by the queue; each was accepted once.
    expect(jobs.filter((j) => j === undefined)).toHaveLength(2);
    expect([...rig.accepted.values()].every((times) => times.length === 1)).toBe(true);
    expect(rig.botOpen()).toEqual(intents.map((i) => i.clientOrderId).sort());
  }, 30_000);
});

describe('the trading path first', () => {
  it('holds the notifications and the audit back until the exchange has answered the order the dispatch placed', async () => {
    rig = await pipelineRig({ limits: { ordersPer10s: 100_000 } });
    const r = rig;
    const [intent] = r.restingBuys(1);
    const id = intent!.clientOrderId;
    const gate = r.app.pipeline.tradingFirst;
    const hold = gate.hold.bind(gate);
    const released: boolean[] = [];
    gate.hold = () => {
      const release = hold();
      return () => {
        // What the exchange had when the hold ended: the order, accepted once.
        released.push(r.accepted.get(id)?.length === 1 && r.app.kernel.tracker.get(id)?.status === 'accepted');
        release();
      };
    };
    r.submit([intent!]);
    await until(() => released.length === 1, 15_000);
    expect(released).toEqual([true]);
  }, 30_000);
});
