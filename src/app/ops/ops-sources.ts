import type { Redis } from 'ioredis';
import type { TradingState } from '../../domain/index.js';
import type { Component, ComponentFault } from '../../engine/index.js';
import type { GatewayActivity } from '../../exchange/binance/index.js';
import type { RuleUsage } from '../../execution/index.js';
import type { OutboxStats as OutboxCounts } from '../../chat/index.js';

/** The Telegram outbox's numbers, as the outbox reports them (wired by the app once the outbox has them). */
export interface OutboxStats {
  /** Notes waiting, per lane (e.g. urgent, routine, replies). */
  readonly depth: Readonly<Record<string, number>>;
  /** Wall time the oldest waiting note has waited, ms; undefined when nothing waits. */
  readonly oldestAgeMs?: number;
  /** Notes given up for a permanent error (chat not found, bot blocked) since the bot started. */
  readonly dropped: number;
  /** Wall time (ms since the epoch) of Telegram's last 429. */
  readonly last429At?: number;
}

/** The Telegram link's state, as the transport reports it. */
export interface TelegramLinkState {
  /** `conflict`: another instance polls the same token (409); `fatal`: the token was refused (401/403). */
  readonly polling: 'ok' | 'retrying' | 'conflict' | 'fatal';
  /** Wall time (ms since the epoch) of the last getUpdates Telegram answered. */
  readonly lastPollOkAt?: number;
  /** No getUpdates has succeeded for TELEGRAM_DEAF_HALT_SECONDS: commands are not heard (trading was halted). */
  readonly deaf?: boolean;
}

/** The outbox's own counts in the shape health and `/limits` read (lanes by name; nothing waiting while Redis is away). */
export function outboxFigures(outbox: { stats(): Promise<OutboxCounts> }): () => Promise<OutboxStats> {
  return async () => {
    const s = await outbox.stats();
    const depth: Record<string, number> = { direct: s.direct };
    if (s.waiting) Object.assign(depth, { urgent: s.waiting.urgent, routine: s.waiting.routine });
    return {
      depth,
      ...(s.waiting?.oldestAgeMs === undefined ? {} : { oldestAgeMs: s.waiting.oldestAgeMs }),
      dropped: s.dropped,
      ...(s.last429 === undefined ? {} : { last429At: s.last429.at }),
    };
  };
}

/** Parts of the front end that may or may not be there (terminal chat, or not built yet): each is read when present. */
export interface HealthSources {
  readonly outbox?: () => Promise<OutboxStats>;
  readonly telegram?: () => TelegramLinkState;
}

/** What the operations endpoints read of the running bot; every part exists in the app today. */
export interface OpsParts {
  /** The bot's own Redis connection: its round trip is what the bot's writes see. */
  readonly redis: Redis;
  readonly prefix: string;
  /** The bus host: the counters join it as a component; its faults make the health unsafe. */
  readonly host: { add(component: Component): unknown; faulted(): readonly ComponentFault[] };
  readonly tradingState: () => TradingState;
  readonly symbols: readonly string[];
  /** The last trade per symbol; `receivedAt` is on `clock`. */
  readonly lastSeen: (symbol: string) => { readonly receivedAt: number } | undefined;
  /** The kernel's clock (market arrival times, the adapter's activity). */
  readonly clock: { now(): number };
  /** After this long without a trade a symbol's data is stale (the risk gate refuses new orders on it); 0 = never. */
  readonly staleAfterMs: number;
  readonly gateway: { activity(): GatewayActivity };
  /** What the exchange last said this process had used (response headers), on wall time. */
  readonly exchangeUsage: () => { readonly at?: number; readonly counts: Readonly<Record<string, number>> };
  /** The shared rate budget, on its own clock. */
  readonly governor: { usage(now: number): Promise<RuleUsage[]>; pausedUntil(now: number): Promise<number> };
  readonly pipelineNow: () => number;
}
