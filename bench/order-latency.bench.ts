/**
 * Order latency through the BullMQ pipeline: a grid on a sandbox over loopback, a trade on the sandbox's tape through
 * its nearest order, and the time until the sandbox accepts the order the bot re-arms from that fill. Two lines:
 * `tick_to_order` (trade on the tape → re-arm accepted) and `fill_to_rearm` (fill emitted → re-arm accepted), each
 * against the floor, the same engine, adapter and feed with the in-process DirectExecutor (no queue, no state save
 * before sending, no shared rate budget), measured in the same run in alternating blocks so drift hits both alike.
 * Target: fill_to_rearm p50 under 5 ms, p99 under 30 ms.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { type CycleSample, OrderLatencyProbe } from './order-latency-probe.js';
import { AMOUNT_QUOTE, type Side, floorSide, pipelineSide, SYMBOL } from './order-latency-sides.js';
import { peakRssMb, percentile, report } from './stats.js';

/** Fills (one per direction per round trip) before measuring: JIT, connection pools, BullMQ's scripts loaded. */
const WARMUP_FILLS = 40;
const SAMPLES = 200;
const BLOCKS = 4;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const prefix = `bench-ol:${process.pid}:${randomBytes(4).toString('hex')}`;
const sides: Side[] = [];
try {
  const pipeline = await pipelineSide(prefix);
  sides.push(pipeline);
  const floor = await floorSide();
  sides.push(floor);
  const runs = [
    { side: pipeline, probe: new OrderLatencyProbe(pipeline.hub, pipeline.engine, SYMBOL), samples: [] as CycleSample[] },
    { side: floor, probe: new OrderLatencyProbe(floor.hub, floor.engine, SYMBOL), samples: [] as CycleSample[] },
  ];
  const next = runs.map((r) => r.probe.arm());
  const fills = async (at: number, n: number, keep: boolean) => {
    const run = runs[at]!;
    for (let i = 0; i < n; i++) {
      const c = await run.probe.cycle(next[at]!);
      next[at] = c.next;
      if (keep) run.samples.push(c.sample);
    }
  };
  for (let at = 0; at < runs.length; at++) await fills(at, WARMUP_FILLS, false);
  for (let b = 0; b < BLOCKS; b++) for (let at = 0; at < runs.length; at++) await fills(at, SAMPLES / BLOCKS, true);
  for (const r of runs) r.probe.close();

  const [mine, base] = [runs[0]!.samples, runs[1]!.samples];
  const stat = (xs: readonly CycleSample[], pick: (s: CycleSample) => number) => {
    const sorted = Float64Array.from(xs.map(pick)).sort();
    return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] as number };
  };
  const ms = (x: number) => Number(x.toPrecision(4));
  const stages = (xs: readonly CycleSample[]) => ({
    fill_to_heard: ms(stat(xs, (s) => s.fillToHeard).p50),
    heard_to_send: ms(stat(xs, (s) => s.heardToSend).p50),
    send_to_accepted: ms(stat(xs, (s) => s.sendToAccepted).p50),
  });
  for (const [bench, pick] of [
    ['tick_to_order', (s: CycleSample) => s.tickToOrder],
    ['fill_to_rearm', (s: CycleSample) => s.fillToRearm],
  ] as const) {
    const v = stat(mine, pick);
    const f = stat(base, pick);
    report({
      bench,
      value: v.p50,
      unit: 'ms',
      floor: f.p50,
      p99: v.p99,
      floor_p99: f.p99,
      max: v.max,
      floor_max: f.max,
      samples: mine.length,
      floor_samples: base.length,
      warmup_fills: WARMUP_FILLS,
      // Where the p50 goes (ms): fill emitted → on the bot's bus → re-arm sent to the executor → accepted by the sandbox.
      stages_p50: stages(mine),
      floor_stages_p50: stages(base),
      grid: `${SYMBOL} 5 levels 0.1 % ${AMOUNT_QUOTE} USDT/level`,
      peak_rss_mb: peakRssMb(),
    });
  }
} finally {
  for (const side of sides.reverse())
    await side.close().catch((error: unknown) => process.stderr.write(`order-latency: close failed: ${String(error)}\n`));
  await deleteKeys(prefix);
}

/** SCAN + DEL of everything under the run's prefix (BullMQ's queues, the bot's state, the rate budget). */
async function deleteKeys(keyPrefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [at, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
      cursor = at;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
