import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createOps } from '../../../src/app/ops/index.js';
import type { TradingState } from '../../../src/domain/index.js';
import { BusHost, ManualClock, SequentialIds } from '../../../src/engine/index.js';
import type { GatewayActivity } from '../../../src/exchange/binance/index.js';
import { RateGovernor } from '../../../src/execution/index.js';
import { redisForEachTest } from '../../kit/redis.js';

const r = redisForEachTest();
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** The operations face over a bus host, a rate budget and Redis of its own, with the adapter's activity and the market set by the test. */
function opsRig() {
  const clock = new ManualClock(1_000_000);
  const host = new BusHost(clock, new SequentialIds());
  const activity: { -readonly [K in keyof GatewayActivity]: GatewayActivity[K] } = {
    lastRestOkAt: clock.now(),
    rateLimited: { count: 0 },
    stream: 'ready',
  };
  const seen = new Map<string, number>([['BTCUSDT', clock.now()]]);
  let state: TradingState = 'ACTIVE';
  const governor = new RateGovernor({
    redis: r.redis,
    keyPrefix: r.prefix,
    rules: [{ id: 'weight:1m', kind: 'weight', limit: 6000, windowMs: 60_000 }],
  });
  const ops = createOps(
    {
      redis: r.redis,
      prefix: r.prefix,
      host,
      tradingState: () => state,
      symbols: ['BTCUSDT'],
      lastSeen: (symbol) => {
        const at = seen.get(symbol);
        return at === undefined ? undefined : { receivedAt: at };
      },
      clock,
      staleAfterMs: 45_000,
      gateway: { activity: () => activity },
      exchangeUsage: () => ({ counts: {} }),
      governor,
      pipelineNow: () => clock.now(),
    },
    pino({ level: 'silent' }),
  );
  closers.push(() => ops.close());
  return { ops, clock, host, activity, seen, setState: (s: TradingState) => (state = s) };
}

describe('/health: when trading would be unsafe', () => {
  it('is ok with everything answering, and only degraded for stale data, a halt or a backlog', async () => {
    const rig = opsRig();
    expect(await rig.ops.health()).toMatchObject({ status: 'ok', unsafe: [], warnings: [], redis: { ok: true } });

    rig.clock.advance(46_000); // no trade for longer than the stale limit; the exchange answered just now
    rig.activity.lastRestOkAt = rig.clock.now();
    rig.setState('HALTED');
    rig.ops.watch({
      outbox: async () => ({ depth: { urgent: 0, routine: 3 }, oldestAgeMs: 400_000, dropped: 1 }),
      telegram: () => ({ polling: 'retrying' }),
    });
    const h = await rig.ops.health();
    expect(h.status).toBe('degraded');
    expect(h.unsafe).toEqual([]);
    expect(h.warnings).toEqual([
      'market: BTCUSDT has had no trade for 46 s',
      'trading is HALTED',
      'outbox: a note has waited 400 s',
      'telegram: polling is retrying',
    ]);
    expect(h.market).toEqual({ BTCUSDT: { lastTradeAgoMs: 46_000, stale: true } });
  });

  it('is unsafe when the exchange has not answered for 90 s and its last call failed, not before', async () => {
    const rig = opsRig();
    rig.clock.advance(60_000);
    rig.seen.set('BTCUSDT', rig.clock.now());
    rig.activity.lastRestFailure = { at: rig.clock.now(), code: 'TIMEOUT', message: 'no answer within 10000 ms' };
    expect(await rig.ops.health()).toMatchObject({
      status: 'degraded',
      unsafe: [],
      warnings: ['exchange: the last call failed (TIMEOUT)'],
    });
    rig.clock.advance(31_000);
    rig.seen.set('BTCUSDT', rig.clock.now());
    expect((await rig.ops.health()).unsafe).toEqual(['exchange: no answer for 91 s (TIMEOUT)']);
    rig.activity.lastRestOkAt = rig.clock.now(); // it answers again
    expect((await rig.ops.health()).status).toBe('ok');
  });

  it('is unsafe without a user data stream, after a component fault, and when Telegram has another poller or refuses it', async () => {
    const rig = opsRig();
    rig.activity.stream = 'failed';
    expect((await rig.ops.health()).unsafe).toEqual(['user data stream: refused']);
    rig.activity.stream = 'ready';

    rig.host.add({
      name: 'brittle',
      attach: ({ bus }) =>
        void bus.on('GridStopped', () => {
          throw new Error('boom');
        }),
    });
    rig.host.bus.publish({ type: 'GridStopped', gridId: 'G1', symbol: 'BTCUSDT', reason: 'user' });
    expect((await rig.ops.health()).unsafe).toEqual(['component brittle faulted on GridStopped: boom']);

    const other = opsRig();
    other.ops.watch({ telegram: () => ({ polling: 'conflict' }) });
    expect((await other.ops.health()).unsafe).toEqual(['telegram: another instance polls this bot token (409); commands are not read']);
    other.ops.watch({ telegram: () => ({ polling: 'fatal' }) });
    expect((await other.ops.health()).unsafe).toEqual(['telegram: the bot token was refused; commands are not read']);
  });

  it('/limits reads the outbox the front end reports, with its last 429', async () => {
    const rig = opsRig();
    const last429At = Date.now() - 5_000;
    rig.ops.watch({ outbox: async () => ({ depth: { urgent: 1, routine: 2 }, oldestAgeMs: 1_500, dropped: 0, last429At }) });
    const limits = await rig.ops.limits();
    expect(limits.rules).toEqual([{ id: 'weight:1m', kind: 'weight', limit: 6000, windowMs: 60_000, used: 0 }]);
    expect(limits.outbox).toMatchObject({ depth: { urgent: 1, routine: 2 }, oldestAgeMs: 1_500, dropped: 0 });
    expect(limits.outbox!.last429AgoMs).toBeGreaterThanOrEqual(5_000);
    expect(limits.queues.map((q) => q.name)).toEqual(['orders-place', 'orders-cancel']);
  });
});
