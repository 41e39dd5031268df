/**
 * What a long run leaves in Redis (issue 11: "Redis memory flat after the first simulated day"): a grid trades for hours
 * of market time, far past every retention, and Redis is read as another process would: finished orders, fills, audit
 * entries, queue events and finished jobs stay within their bounds, measured on the bot's clock, while every open order
 * stays, and a bot started again on what is left carries on.
 */
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { type TradingApp, startTradingApp } from '../../src/app/trading-app.js';
import { type Instrument, ORDER_QUEUES, REDIS_KEYS, catalogInstrument, fx, isTerminal } from '../../src/domain/index.js';
import { ManualClock } from '../../src/engine/index.js';
import { scaledTime } from '../../src/execution/index.js';
import { SandboxHub, startSandboxServer } from '../../src/sandbox/index.js';
import { deleteKeys, scanKeys, uniquePrefix, withRedis } from '../kit/redis.js';
import { paperOnSandbox } from '../kit/sandbox-env.js';
import { until } from '../kit/until.js';

const ACCOUNT = { apiKey: 'retention-key-0123456789', apiSecret: 'retention-secret-0123456789' };
const KEEP_DAYS = 0.01; // 864 s of market time
const KEEP_MS = KEEP_DAYS * 86_400_000;
const STEP_MS = 120_000; // between trades: a window holds about 7 of them
const TRADES = 250; // 500 minutes of market time, each trade one fill
const JOBS_KEEP = 10;
const EVENTS_MAX_LEN = 100;
/** Redis trims streams by whole nodes (`~`): up to this many entries (stream-node-max-entries) past a bound stay. */
const STREAM_NODE = 100;

const prefix = uniquePrefix();
afterAll(() => deleteKeys(prefix));

describe('Redis after hours of trading past every retention', () => {
  it('keeps finished orders, fills, audit entries, queue events and jobs within their bounds, and every open order', async () => {
    const btc = catalogInstrument('BTCUSDT') as Instrument;
    const clock = new ManualClock(Date.UTC(2024, 0, 1));
    const hub = new SandboxHub({
      instruments: [btc],
      balances: { USDT: fx('10000'), BTC: fx('1') },
      account: ACCOUNT,
      now: () => clock.now(),
    });
    const server = await startSandboxServer({ hub });
    const config = loadConfig({
      ...paperOnSandbox(server, ACCOUNT, prefix),
      MARKET_SYMBOLS: 'BTCUSDT',
      LOG_LEVEL: 'silent',
      METRICS_PORT: '0',
      // Trades come minutes apart in market time: that is the test's tape, not staleness.
      RISK_STALE_AFTER_SECONDS: '0',
      FINISHED_ORDERS_KEEP_DAYS: String(KEEP_DAYS),
      FILLS_KEEP_DAYS: String(KEEP_DAYS),
      AUDIT_KEEP_DAYS: String(KEEP_DAYS),
      QUEUE_EVENTS_MAX_LEN: String(EVENTS_MAX_LEN),
      QUEUE_JOBS_KEEP: String(JOBS_KEEP),
    });
    if (!config.ok) throw new Error(config.message);
    let tradeId = 0;
    const trade = (price: string, stepMs: number) => {
      clock.advance(stepMs);
      hub.trade({ symbol: 'BTCUSDT', price: fx(price), quantity: fx('1'), time: clock.now(), tradeId: ++tradeId, isBuyerMaker: false });
    };
    // The exchange's rate windows pass a hundred times faster than wall time, as in the season replay.
    const pipelineTime = scaledTime(100);
    const start = async (): Promise<{ app: TradingApp; type: (line: string, answer: RegExp) => Promise<void> }> => {
      const input = new PassThrough();
      const output = new PassThrough();
      let screen = '';
      output.on('data', (c: Buffer) => (screen += c.toString('utf8')));
      // 100 ms of market time per 10 ms: a clock that leaps while the bot measures its offset to the exchange's makes
      // the measurement wrong by the leap.
      const market = setInterval(() => trade('40000', 100), 10);
      const started = await startTradingApp(config.config, {
        input,
        output,
        clock,
        log: pino({ level: 'silent' }),
        terminal: false,
        pipelineTime,
      });
      clearInterval(market);
      if (!started.ok) throw new Error(started.error.message);
      const type = async (line: string, answer: RegExp) => {
        const mark = screen.length;
        input.write(`${line}\n`);
        await until(() => answer.test(screen.slice(mark)), 30_000).catch(() => {
          throw new Error(`no answer to ${line} matching ${String(answer)}; the chat said:\n${screen.slice(-1500)}`);
        });
      };
      const app = started.value;
      // Trades sent before its market socket opened never reached it: the market goes on until one has.
      for (let i = 0; i < 3_000 && app.kernel.market.lastPrice('BTCUSDT') === undefined; i++) {
        trade('40000', 1_000);
        await new Promise((r) => setTimeout(r, 10));
      }
      return { app, type };
    };

    let { app, type } = await start();
    try {
      // Three buys 0.5 % apart below 40,000 and three sells above: each trade below fills the top buy, each above the
      // sell re-armed over it.
      await type('/grid BTCUSDT 3 0.5 100', /Type confirm or cancel\./);
      await type('confirm', /Grid G1 started/);
      const openAccepted = () => {
        const open = app.kernel.tracker.open();
        return open.length === 6 && open.every((o) => o.status === 'accepted');
      };
      await until(openAccepted, 30_000);
      let fills = 0;
      app.kernel.host.bus.on('OrderFilled', () => fills++);
      for (let i = 0; i < TRADES; i++) {
        trade(i % 2 === 0 ? '39790' : '40010', STEP_MS);
        await until(() => fills === i + 1 && openAccepted(), 30_000);
      }
      let idle = false;
      void app.kernel.executor.settled().then(() => (idle = true));
      await until(() => idle, 30_000);
      await app.kernel.store?.commit();
      await app.audit.flush();
      const now = clock.now();
      const openIds = app.kernel.tracker.open().map((o) => o.intent.clientOrderId);

      await withRedis(async (r) => {
        // Finished orders: only those that ended within the retention, beside the six open ones, which all stay.
        const orders = await r.hgetall(REDIS_KEYS.stateOrders.key(prefix));
        const stored = Object.values(orders).map((text) => JSON.parse(text) as { record: { status: string; updatedAt: number } });
        const finished = stored.filter((o) => isTerminal(o.record.status as never));
        expect(Object.keys(orders)).toEqual(expect.arrayContaining(openIds));
        expect(stored.length - finished.length).toBe(6);
        expect(finished.length).toBeLessThanOrEqual(KEEP_MS / STEP_MS + 2);
        expect(finished.every((o) => o.record.updatedAt >= now - KEEP_MS)).toBe(true);

        // The fill journal: the fills of the retention, no more.
        const journal = (await r.lrange(REDIS_KEYS.stateFills.key(prefix), 0, -1)).map((t) => JSON.parse(t) as { time: number });
        expect(journal.length).toBeGreaterThan(0);
        expect(journal.length).toBeLessThanOrEqual(KEEP_MS / STEP_MS + 2);
        expect(journal.every((f) => f.time >= now - KEEP_MS)).toBe(true);

        // The audit trail: ids on the bot's clock, trimmed by age to within one stream node.
        const audit = await r.xrange(REDIS_KEYS.auditLog.key(prefix), '-', '+');
        const idTime = (id: string) => Number(id.split('-')[0]);
        expect(idTime(audit.at(-1)![0])).toBe(now);
        expect(audit.filter(([id]) => idTime(id) < now - KEEP_MS).length).toBeLessThan(STREAM_NODE);

        // BullMQ: the events streams to about their length, finished placements to their count.
        for (const queue of Object.values(ORDER_QUEUES))
          expect(await r.xlen(`${prefix}:${queue}:events`)).toBeLessThanOrEqual(EVENTS_MAX_LEN + STREAM_NODE);
        const jobs = (await scanKeys(r, `${prefix}:${ORDER_QUEUES.place}:tg_*`)).filter((k) => !/:(lock|logs)$/.test(k));
        expect(jobs.length).toBeLessThanOrEqual(2 * JOBS_KEEP);
      });

      // Started again on what is left, the bot holds the same open orders and the grid carries on.
      await app.shutdown();
      ({ app, type } = await start());
      expect(
        app.kernel.tracker
          .open()
          .map((o) => o.intent.clientOrderId)
          .sort(),
      ).toEqual([...openIds].sort());
      let after = 0;
      app.kernel.host.bus.on('OrderFilled', () => after++);
      trade(TRADES % 2 === 0 ? '39790' : '40010', STEP_MS);
      await until(() => after === 1 && openAccepted(), 30_000);
    } finally {
      await app.shutdown();
      await server.close();
    }
  }, 180_000);
});
