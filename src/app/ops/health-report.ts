import { performance } from 'node:perf_hooks';
import type { TradingState } from '../../domain/index.js';
import type { ComponentFault } from '../../engine/index.js';
import { bounded } from './bounded.js';
import type { HealthSources, OpsParts, OutboxStats, TelegramLinkState } from './ops-sources.js';
import type { OrderQueues, QueueDepth } from './order-queues.js';

/**
 * The exchange counts as unreachable after this long with its last call failed unanswered (timeout, 5xx, refused): three
 * of the reconciler's 30 s rounds, so one slow answer or a short blip never flips the health.
 */
const EXCHANGE_SILENT_MS = 90_000;
/** Waiting notes or order jobs older than these are worth a warning (not a 503: they are delivered late, not lost). */
const OUTBOX_OLD_MS = 5 * 60_000;
const QUEUE_OLD_MS = 60_000;

export interface HealthReport {
  /** `unsafe` answers HTTP 503; `degraded` (warnings only) and `ok` answer 200. */
  readonly status: 'ok' | 'degraded' | 'unsafe';
  /** Why trading would be unsafe now: each makes the answer 503. */
  readonly unsafe: readonly string[];
  readonly warnings: readonly string[];
  readonly tradingState: TradingState;
  readonly redis: { readonly ok: boolean; readonly rttMs?: number; readonly error?: string };
  readonly exchange: {
    readonly lastOkAgoMs?: number;
    readonly lastFailure?: { readonly agoMs: number; readonly code: string; readonly message: string };
    readonly rateLimited: { readonly count: number; readonly lastAgoMs?: number };
  };
  readonly userStream: { readonly state: string; readonly lastEventAgoMs?: number };
  /** Per symbol: how long since a trade arrived (absent before the first), and whether that is past the stale limit. */
  readonly market: Readonly<Record<string, { readonly lastTradeAgoMs?: number; readonly stale: boolean }>>;
  readonly queues?: readonly QueueDepth[];
  readonly outbox?: OutboxStats;
  readonly telegram?: TelegramLinkState;
  readonly faults: readonly ComponentFault[];
}

/** Round trip of one PING on the bot's own connection, or why it did not come back in time. */
async function redisRoundTrip(parts: OpsParts): Promise<HealthReport['redis']> {
  const started = performance.now();
  const pong = await bounded(() => parts.redis.ping());
  if (!pong.ok) return { ok: false, error: pong.why };
  return { ok: true, rttMs: Math.round((performance.now() - started) * 1000) / 1000 };
}

/**
 * The bot's health, and whether trading would be unsafe. 503 (unsafe) exactly when: Redis does not answer a PING within
 * 1 s (nothing can be saved or queued); the exchange has answered nothing for EXCHANGE_SILENT_MS with its last call failed
 * unanswered; the user data stream is not subscribed or was refused (fills would go unheard); a component FAULTED
 * (trading is halted until a restart); or the Telegram link reports another instance on the token or a refused token
 * (nobody can command the bot). Everything else (stale market data, a 429 pause, a HALTED state, backlogs) is a warning:
 * the bot stays safe through it (the risk gate refuses orders on stale data; a halt places nothing).
 */
export async function healthReport(parts: OpsParts, queues: OrderQueues, sources: HealthSources): Promise<HealthReport> {
  const now = parts.clock.now();
  const wallNow = Date.now();
  const unsafe: string[] = [];
  const warnings: string[] = [];

  const redis = await redisRoundTrip(parts);
  if (!redis.ok) unsafe.push(`redis: ${redis.error ?? 'no answer'}`);
  // With Redis gone these reads would only wait out their bound too.
  const queueRead = redis.ok ? await bounded(() => queues.depths(wallNow)) : undefined;
  if (queueRead && !queueRead.ok) warnings.push(`order queues: ${queueRead.why}`);
  for (const q of queueRead?.ok ? queueRead.value : [])
    if ((q.oldestAgeMs ?? 0) > QUEUE_OLD_MS) warnings.push(`${q.name}: a job has waited ${Math.round((q.oldestAgeMs ?? 0) / 1000)} s`);

  const activity = parts.gateway.activity();
  const sinceOk = activity.lastRestOkAt === undefined ? undefined : now - activity.lastRestOkAt;
  const failure = activity.lastRestFailure;
  const failingNow = failure !== undefined && (activity.lastRestOkAt === undefined || failure.at > activity.lastRestOkAt);
  if (failingNow && (sinceOk === undefined || sinceOk > EXCHANGE_SILENT_MS))
    unsafe.push(`exchange: no answer for ${sinceOk === undefined ? 'ever' : `${Math.round(sinceOk / 1000)} s`} (${failure.code})`);
  else if (failingNow) warnings.push(`exchange: the last call failed (${failure.code})`);
  const pausedFor = redis.ok ? await bounded(() => parts.governor.pausedUntil(parts.pipelineNow())) : undefined;
  if (pausedFor?.ok && pausedFor.value > 0) warnings.push('exchange: requests held back after a 429/418');

  if (activity.stream === 'none' || activity.stream === 'failed')
    unsafe.push(`user data stream: ${activity.stream === 'none' ? 'not subscribed' : 'refused'}`);
  else if (activity.stream === 'connecting') warnings.push('user data stream: not confirmed yet');

  const market: Record<string, { lastTradeAgoMs?: number; stale: boolean }> = {};
  for (const symbol of parts.symbols) {
    const seen = parts.lastSeen(symbol);
    const age = seen === undefined ? undefined : Math.max(0, now - seen.receivedAt);
    const stale = age === undefined || (parts.staleAfterMs > 0 && age > parts.staleAfterMs);
    market[symbol] = age === undefined ? { stale } : { lastTradeAgoMs: age, stale };
    if (stale)
      warnings.push(`market: ${symbol} ${age === undefined ? 'has had no trade yet' : `has had no trade for ${Math.round(age / 1000)} s`}`);
  }

  const faults = parts.host.faulted();
  for (const f of faults) unsafe.push(`component ${f.component} faulted on ${f.messageType}: ${f.error}`);

  const tradingState = parts.tradingState();
  if (tradingState !== 'ACTIVE') warnings.push(`trading is ${tradingState}`);

  const outboxRead = sources.outbox && redis.ok ? await bounded(sources.outbox) : undefined;
  if (outboxRead && !outboxRead.ok) warnings.push(`outbox: ${outboxRead.why}`);
  const outbox = outboxRead?.ok ? outboxRead.value : undefined;
  if (outbox && (outbox.oldestAgeMs ?? 0) > OUTBOX_OLD_MS)
    warnings.push(`outbox: a note has waited ${Math.round((outbox.oldestAgeMs ?? 0) / 1000)} s`);

  const telegram = sources.telegram?.();
  if (telegram?.deaf) unsafe.push('telegram: no command could be read for TELEGRAM_DEAF_HALT_SECONDS; trading was halted');
  if (telegram?.polling === 'conflict') unsafe.push('telegram: another instance polls this bot token (409); commands are not read');
  else if (telegram?.polling === 'fatal') unsafe.push('telegram: the bot token was refused; commands are not read');
  else if (telegram?.polling === 'retrying') warnings.push('telegram: polling is retrying');

  const status = unsafe.length > 0 ? 'unsafe' : warnings.length > 0 ? 'degraded' : 'ok';
  return {
    status,
    unsafe,
    warnings,
    tradingState,
    redis,
    exchange: {
      ...(sinceOk === undefined ? {} : { lastOkAgoMs: sinceOk }),
      ...(failure ? { lastFailure: { agoMs: now - failure.at, code: failure.code, message: failure.message } } : {}),
      rateLimited: {
        count: activity.rateLimited.count,
        ...(activity.rateLimited.lastAt === undefined ? {} : { lastAgoMs: now - activity.rateLimited.lastAt }),
      },
    },
    userStream: {
      state: activity.stream,
      ...(activity.lastStreamEventAt === undefined ? {} : { lastEventAgoMs: now - activity.lastStreamEventAt }),
    },
    market,
    ...(queueRead?.ok ? { queues: queueRead.value } : {}),
    ...(outbox ? { outbox } : {}),
    ...(telegram ? { telegram } : {}),
    faults,
  };
}
