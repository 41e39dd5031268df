import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { bounded } from './bounded.js';
import { BusCounters } from './bus-counters.js';
import { type HealthReport, healthReport } from './health-report.js';
import type { HealthSources, OpsParts } from './ops-sources.js';
import type { OrderQueues } from './order-queues.js';

const TRADING_STATES = ['ACTIVE', 'REDUCING', 'HALTED'] as const;

/**
 * Node's own metrics (CPU, memory, event-loop lag, GC), in a registry of the process rather than of one bot: prom-client
 * starts a GC observer and an event-loop histogram for them that nothing can stop, so a bot started again in the same
 * process (a test, a replay's restarts) would leave one of each, with its registry, behind at every stop.
 */
let nodeMetrics: Registry | undefined;
function nodeRegistry(): Registry {
  if (nodeMetrics === undefined) {
    nodeMetrics = new Registry();
    collectDefaultMetrics({ register: nodeMetrics });
  }
  return nodeMetrics;
}

/**
 * Every metric of `/metrics`. Bus events feed counters (BusCounters); everything else is read when Prometheus scrapes:
 * one health check (Redis round trip, exchange, stream, market, queues, outbox) feeds the gauges, so a scrape costs a
 * handful of Redis reads and nothing between scrapes.
 */
export class OpsMetrics {
  readonly registry = new Registry();
  readonly counters: BusCounters;
  private readonly rateLimitedTotal: Counter;
  private readonly outboxDroppedTotal: Counter;
  private readonly gauges: ReturnType<typeof gaugesIn>;
  /** Counts already added from the adapter's and the outbox's own running totals. */
  private seen = { rateLimited: 0, dropped: 0 };

  constructor(
    private readonly parts: OpsParts,
    private readonly queues: OrderQueues,
    private readonly sources: () => HealthSources,
  ) {
    const registers = [this.registry];
    nodeRegistry(); // collecting from the first bot's start, not from the first scrape
    this.counters = new BusCounters(this.registry);
    this.rateLimitedTotal = new Counter({
      name: 'telegrid_exchange_rate_limited_total',
      help: '429/418 answers from the exchange',
      registers,
    });
    this.outboxDroppedTotal = new Counter({
      name: 'telegrid_outbox_dropped_total',
      help: 'Notes the outbox gave up for a permanent error',
      registers,
    });
    this.gauges = gaugesIn(this.registry);
  }

  /** The text Prometheus scrapes: the registry, then BullMQ's own job counts. */
  async render(): Promise<{ contentType: string; text: string; health: HealthReport }> {
    const health = await healthReport(this.parts, this.queues, this.sources());
    await this.refresh(health);
    const bull = health.redis.ok ? await bounded(() => this.queues.prometheusText({ prefix: this.parts.prefix })) : undefined;
    // A merge only lists both registries' metrics together; it starts nothing.
    const text = (await Registry.merge([nodeRegistry(), this.registry]).metrics()) + (bull?.ok ? `${bull.value}\n` : '');
    return { contentType: this.registry.contentType, text, health };
  }

  /**
   * Gauges from one health check. A value that could not be read is never reported stale: a labelled one is left out,
   * a plain one reads NaN (which no alert threshold matches; `telegrid_redis_up` and `telegrid_healthy` say why).
   */
  private async refresh(h: HealthReport): Promise<void> {
    const g = this.gauges;
    for (const gauge of Object.values(g)) gauge.reset();
    g.healthy.set(h.status === 'unsafe' ? 0 : 1);
    g.redisUp.set(h.redis.ok ? 1 : 0);
    g.redisRtt.set(h.redis.rttMs === undefined ? Number.NaN : h.redis.rttMs / 1000);
    g.exchangeOkAge.set(h.exchange.lastOkAgoMs === undefined ? Number.NaN : h.exchange.lastOkAgoMs / 1000);
    g.streamUp.set(h.userStream.state === 'ready' ? 1 : 0);
    for (const [symbol, m] of Object.entries(h.market))
      if (m.lastTradeAgoMs !== undefined) g.marketAge.set({ symbol }, m.lastTradeAgoMs / 1000);
    for (const state of TRADING_STATES) g.tradingState.set({ state }, h.tradingState === state ? 1 : 0);
    for (const q of h.queues ?? []) {
      g.queueWaiting.set({ queue: q.name }, q.waiting);
      g.queueOldest.set({ queue: q.name }, (q.oldestAgeMs ?? 0) / 1000);
    }
    g.outboxOldest.set(h.outbox ? (h.outbox.oldestAgeMs ?? 0) / 1000 : Number.NaN);
    if (h.outbox) {
      for (const [lane, n] of Object.entries(h.outbox.depth)) g.outboxDepth.set({ lane }, n);
      this.outboxDroppedTotal.inc(Math.max(0, h.outbox.dropped - this.seen.dropped));
      this.seen.dropped = Math.max(this.seen.dropped, h.outbox.dropped);
    }
    const rateLimited = this.parts.gateway.activity().rateLimited.count;
    this.rateLimitedTotal.inc(Math.max(0, rateLimited - this.seen.rateLimited));
    this.seen.rateLimited = Math.max(this.seen.rateLimited, rateLimited);
    const said = this.parts.exchangeUsage().counts;
    const usage = h.redis.ok ? await bounded(() => this.parts.governor.usage(this.parts.pipelineNow())) : undefined;
    for (const rule of usage?.ok ? usage.value : []) {
      g.budgetUsed.set({ rule: rule.id }, rule.used);
      g.budgetLimit.set({ rule: rule.id }, rule.limit);
      const exchangeSays = said[rule.id];
      if (exchangeSays !== undefined) g.exchangeUsed.set({ rule: rule.id }, exchangeSays);
    }
  }
}

/** The gauges a scrape fills in. */
function gaugesIn(registry: Registry) {
  const registers = [registry];
  const gauge = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers });
  return {
    healthy: gauge('telegrid_healthy', '1 when /health answers 200, 0 when trading would be unsafe (503)'),
    redisUp: gauge('telegrid_redis_up', '1 when Redis answered a PING within 1 s'),
    redisRtt: gauge('telegrid_redis_rtt_seconds', "Round trip of a PING on the bot's Redis connection"),
    exchangeOkAge: gauge('telegrid_exchange_last_ok_age_seconds', 'Since the exchange last answered a REST call'),
    streamUp: gauge('telegrid_user_stream_up', '1 when the user data stream subscription is confirmed'),
    marketAge: gauge('telegrid_market_last_trade_age_seconds', 'Since a trade last arrived, per symbol', ['symbol']),
    tradingState: gauge('telegrid_trading_state', '1 for the current trading state', ['state']),
    budgetUsed: gauge('telegrid_rate_budget_used', "The bot's use of an exchange rate limit inside its window", ['rule']),
    budgetLimit: gauge('telegrid_rate_budget_limit', "The exchange's rate limit (exchangeInfo)", ['rule']),
    exchangeUsed: gauge('telegrid_exchange_reported_used', "The exchange's own count in its last answer's headers", ['rule']),
    queueWaiting: gauge('telegrid_queue_waiting', 'Order jobs not yet taken by a worker', ['queue']),
    queueOldest: gauge('telegrid_queue_oldest_age_seconds', 'Since the oldest waiting order job was enqueued', ['queue']),
    outboxDepth: gauge('telegrid_outbox_depth', 'Notes waiting in the outbox, per lane', ['lane']),
    outboxOldest: gauge('telegrid_outbox_oldest_age_seconds', 'Since the oldest waiting note was queued'),
  };
}
