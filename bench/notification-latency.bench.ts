/**
 * Notification latency: a fill on the sandbox (the hub's execution report with a trade) → the sendMessage that tells
 * the owner about it, as the fake Bot API server records it arriving. Two lines: `notification_latency_single` (fills
 * spaced so the outbox's per-chat pacing never holds one back) and `notification_latency_burst` (500 fills across five
 * symbols in 2 s; a fill's latency is the arrival of the first message that counts it, a digest "N fills on SYMBOL"
 * counting the next N fills queued on that symbol). The floor, measured on the same fills in the same run: a bare HTTP
 * POST of sendMessage from a hub.onVenueEvent listener (no engine, no outbox, no Redis). Target: single p50 < 100 ms.
 */
import { randomBytes } from 'node:crypto';
import {
  FLOOR_CHAT,
  OWNER_CHAT,
  type Resting,
  SYMBOLS,
  TOKEN,
  type World,
  now,
  sleep,
  startWorld,
  until,
} from './notification-latency-rig.js';
import { deleteKeys } from './redis-cleanup.js';
import { peakRssMb, percentile, report } from './stats.js';

const WARMUP = 2;
const SAMPLES = 20;
/** Over the outbox's ~1.1 s per-chat pacing, so no fill waits behind the previous fill's message. */
const SPACING_MS = 1_500;
const BURST = 500;
const BURST_WINDOW_MS = 2_000;

const prefix = `bench-nl:${process.pid}:${randomBytes(4).toString('hex')}`;
let world: World | undefined;
try {
  world = await startWorld(prefix);
  const w = world;
  const single = w.resting('BTCUSDT', WARMUP + SAMPLES, 'S');
  const burst: Resting[] = [];
  for (let i = 0; i < BURST / SYMBOLS.length; i++) for (const [k, s] of SYMBOLS.entries()) burst.push(...w.resting(s, 1, `B${i}Y${k}n`));
  await w.place([...single, ...burst]);

  // t0 of every fill, and the floor: a bare sendMessage straight from the venue event.
  const filledAt = new Map<string, number>();
  const floorUrl = `${w.fake.url}/bot${TOKEN}/sendMessage`;
  const floorPost = (text: string) =>
    fetch(floorUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chat_id: FLOOR_CHAT, text }),
    })
      .then((r) => r.arrayBuffer())
      .catch((error: unknown) => process.stderr.write(`notification-latency: floor post failed: ${String(error)}\n`));
  w.hub.onVenueEvent((e) => {
    if (e.type !== 'execution' || e.report.trade === undefined) return;
    filledAt.set(e.report.clientOrderId, now());
    void floorPost(`floor ${e.report.clientOrderId}`);
  });
  await floorPost('warm-up');

  const sendMessages = (chat: number, from: number) =>
    w.fake.requests().filter((r) => r.method === 'sendMessage' && r.chatId === chat && r.time >= from);
  const textOf = (params: Record<string, unknown>) => String(params.text ?? '');
  const floorArrival = (id: string) => w.fake.requests().find((r) => r.chatId === FLOOR_CHAT && textOf(r.params) === `floor ${id}`)?.time;

  // Single fills.
  const singles: number[] = [];
  const singleFloors: number[] = [];
  for (let i = 0; i < single.length; i++) {
    const r = single[i]!;
    const id = r.intent.clientOrderId;
    const started = now();
    w.fill(r);
    await until(() => filledAt.has(id), 10_000, `the fill of ${id}`);
    const t0 = filledAt.get(id)!;
    const heard = () => sendMessages(OWNER_CHAT, t0).find((m) => /Filled BUY \S+ BTCUSDT|fills on BTCUSDT/.test(textOf(m.params)));
    await until(() => heard() !== undefined && floorArrival(id) !== undefined, 15_000, `the notification of ${id}`).catch(
      (error: unknown) => {
        process.stderr.write(`floor ${String(floorArrival(id))}; owner messages:\n`);
        for (const m of sendMessages(OWNER_CHAT, 0))
          process.stderr.write(`${Math.round(m.time - t0)} ms ${m.status}: ${textOf(m.params).slice(0, 300)}\n`);
        throw error;
      },
    );
    if (i >= WARMUP) {
      singles.push(heard()!.time - t0);
      singleFloors.push(floorArrival(id)! - t0);
    }
    await sleep(Math.max(0, started + SPACING_MS - now()));
  }

  // The burst: 500 fills in 2 s, round robin over the symbols.
  const burstStart = now();
  for (let i = 0; i < burst.length; i++) {
    const due = burstStart + (i * BURST_WINDOW_MS) / burst.length;
    if (due > now() + 1) await sleep(due - now());
    w.fill(burst[i]!);
  }
  const burstIds = burst.map((r) => r.intent.clientOrderId);
  await until(() => burstIds.every((id) => filledAt.has(id)), 10_000, 'every burst fill');
  const queued = new Map<string, number[]>(SYMBOLS.map((s) => [s, []]));
  for (const r of [...burst].sort((a, b) => filledAt.get(a.intent.clientOrderId)! - filledAt.get(b.intent.clientOrderId)!)) {
    queued.get(r.intent.symbol)!.push(filledAt.get(r.intent.clientOrderId)!);
  }
  const bursts: number[] = [];
  let seen = 0;
  const count = () => {
    const msgs = sendMessages(OWNER_CHAT, burstStart);
    for (; seen < msgs.length; seen++) {
      const m = msgs[seen]!;
      for (const line of textOf(m.params).split('\n')) {
        const digest = /(\d+) fills on (\w+)/.exec(line);
        const one = digest === null ? /Filled (?:BUY|SELL) \S+ (\w+) @/.exec(line) : null;
        const symbol = digest?.[2] ?? one?.[1];
        const n = digest !== null ? Number(digest[1]) : one !== null ? 1 : 0;
        const fifo = symbol === undefined ? undefined : queued.get(symbol);
        if (fifo === undefined) continue;
        for (const t0 of fifo.splice(0, n)) bursts.push(m.time - t0);
      }
    }
    return bursts.length >= BURST;
  };
  await until(count, 120_000, 'every burst fill counted in a message').catch((error: unknown) => {
    const msgs = sendMessages(OWNER_CHAT, burstStart);
    process.stderr.write(
      `counted ${bursts.length}/${BURST} in ${msgs.length} messages; left ${[...queued].map(([s, q]) => `${s}:${q.length}`).join(' ')}\n`,
    );
    for (const m of msgs.slice(0, 3).concat(msgs.slice(-3)))
      process.stderr.write(`${Math.round(m.time - burstStart)} ms: ${textOf(m.params).slice(0, 600)}\n---\n`);
    throw error;
  });
  const burstFloors = burstIds.map((id) => floorArrival(id)! - filledAt.get(id)!);
  const burstTexts = sendMessages(OWNER_CHAT, burstStart).map((m) => textOf(m.params));
  const burstMessages = burstTexts.length;
  // What else shares the 4096-character messages with the fills (one position line per fill, digests, …).
  const burstLines = burstTexts.flatMap((t) => t.split('\n'));
  const positionLines = burstLines.filter((l) => l.includes(' position ')).length;

  const stat = (xs: readonly number[]) => {
    const sorted = Float64Array.from(xs).sort();
    return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] as number };
  };
  for (const [bench, mine, base, extra] of [
    ['notification_latency_single', singles, singleFloors, { spacing_ms: SPACING_MS, warmup_fills: WARMUP }],
    [
      'notification_latency_burst',
      bursts,
      burstFloors,
      {
        burst_fills: BURST,
        burst_window_ms: BURST_WINDOW_MS,
        messages: burstMessages,
        message_lines: burstLines.length,
        position_lines: positionLines,
        symbols: SYMBOLS.length,
      },
    ],
  ] as const) {
    const v = stat(mine);
    const f = stat(base);
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
      ...extra,
      peak_rss_mb: peakRssMb(),
    });
  }
} finally {
  await world?.close().catch((error: unknown) => process.stderr.write(`notification-latency: close failed: ${String(error)}\n`));
  await deleteKeys(prefix).catch((error: unknown) => process.stderr.write(`notification-latency: key cleanup failed: ${String(error)}\n`));
}
// Nothing should be left, but a stray socket must not keep `npm run bench` waiting.
process.exit(process.exitCode ?? 0);
