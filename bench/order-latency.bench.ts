/**
 * Order latency through the BullMQ pipeline: a grid on a sandbox over loopback, a trade on the sandbox's tape through
 * its nearest order, and the time until the sandbox accepts the order the bot re-arms from that fill. Two lines:
 * `tick_to_order` (trade on the tape → re-arm accepted) and `fill_to_rearm` (fill emitted → re-arm accepted), each
 * against the floor, the same engine, adapter and feed with the in-process DirectExecutor (no queue, no state save
 * before sending, no shared rate budget), measured in the same run in alternating blocks so drift hits both alike.
 * Target: fill_to_rearm p50 under 5 ms, p99 under 30 ms. Then the same on a USD-M perpetual grid (`futures_…` lines,
 * each with its own floor measured in the same run).
 */
import { randomBytes } from 'node:crypto';
import { type CycleSample, OrderLatencyProbe } from './order-latency-probe.js';
import { AMOUNT_QUOTE, type Market, type Side, floorSide, pipelineSide, SYMBOL } from './order-latency-sides.js';
import { peakRssMb, percentile, report } from './stats.js';
import { deleteKeys } from './redis-cleanup.js';

/** Fills (one per direction per round trip) before measuring: JIT, connection pools, BullMQ's scripts loaded. */
const WARMUP_FILLS = 40;
const SAMPLES = 200;
const BLOCKS = 4;

const prefix = `bench-ol:${process.pid}:${randomBytes(4).toString('hex')}`;
const sides: Side[] = [];

/** One side's probe and where its next cycle starts; `take` runs `n` fill → re-arm cycles, keeping them or not. */
function prober(side: Side) {
  const probe = new OrderLatencyProbe(side.hub, side.engine, side.symbol, side.venue, SYMBOL);
  const samples: CycleSample[] = [];
  let next = probe.arm();
  const take = async (n: number, keep: boolean) => {
    for (let i = 0; i < n; i++) {
      const c = await probe.cycle(next);
      next = c.next;
      if (keep) samples.push(c.sample);
    }
  };
  return { samples, take, close: () => probe.close() };
}

/**
 * Spot: both sides up at once, measured in alternating blocks so drift hits both alike. Futures: one side after the
 * other (warm-up, then every sample), because binance-api-node's futures stream URLs are process-wide and each side
 * has a sandbox of its own: a second futures gateway cannot open until the first is closed.
 */
async function sampleBoth(market: Market): Promise<{ mine: CycleSample[]; base: CycleSample[] }> {
  const open = async (make: () => Promise<Side>) => {
    const side = await make();
    sides.push(side);
    return side;
  };
  const pipelineOf = () => pipelineSide(market === 'spot' ? prefix : `${prefix}:${market}`, market);
  if (market === 'spot') {
    const runs = [prober(await open(pipelineOf)), prober(await open(() => floorSide(market)))];
    for (const r of runs) await r.take(WARMUP_FILLS, false);
    for (let b = 0; b < BLOCKS; b++) for (const r of runs) await r.take(SAMPLES / BLOCKS, true);
    for (const r of runs) r.close();
    return { mine: runs[0]!.samples, base: runs[1]!.samples };
  }
  const alone = async (make: () => Promise<Side>) => {
    const r = prober(await open(make));
    await r.take(WARMUP_FILLS, false);
    await r.take(SAMPLES, true);
    r.close();
    for (const side of sides.splice(0).reverse()) await side.close();
    return r.samples;
  };
  const mine = await alone(pipelineOf);
  const base = await alone(() => floorSide(market));
  return { mine, base };
}

/** One market's pipeline and floor; the lines named with `label` before each bench. */
async function measure(market: Market, label: string): Promise<void> {
  const { mine, base } = await sampleBoth(market);
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
  const grid =
    market === 'spot'
      ? `${SYMBOL} 5 levels 0.1 % ${AMOUNT_QUOTE} USDT/level`
      : `${SYMBOL}.P neutral x2 isolated, 5 levels 0.1 % ${AMOUNT_QUOTE} USDT/level`;
  for (const [bench, pick] of [
    ['tick_to_order', (s: CycleSample) => s.tickToOrder],
    ['fill_to_rearm', (s: CycleSample) => s.fillToRearm],
  ] as const) {
    const v = stat(mine, pick);
    const f = stat(base, pick);
    report({
      bench: `${label}${bench}`,
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
      grid,
      peak_rss_mb: peakRssMb(),
    });
  }
  // One market at a time: the next one's sandboxes and bots do not run beside this one's.
  for (const side of sides.splice(0).reverse()) await side.close();
}

try {
  await measure('spot', '');
  // The same probe on a USD-M perpetual: router, /fapi, the futures user stream, the futures book and margin checks.
  await measure('futures', 'futures_');
} finally {
  for (const side of sides.reverse())
    await side.close().catch((error: unknown) => process.stderr.write(`order-latency: close failed: ${String(error)}\n`));
  await deleteKeys(prefix);
}
